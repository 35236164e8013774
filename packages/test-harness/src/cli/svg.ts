/** Minimal inline-SVG charts for the HTML report (no scripts, no external assets). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const W = 640;
const H = 260;
const PAD = { left: 48, right: 12, top: 12, bottom: 36 };
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function niceStep(span: number, ticks: number): number {
  const raw = span / Math.max(1, ticks);
  const mag = 10 ** Math.floor(Math.log10(raw || 1));
  return ([1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag) || 1;
}

function axes(xMax: number, yMax: number, xLabel: string, yLabel: string): string {
  const parts: string[] = [];
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const xs = niceStep(xMax, 8);
  for (let x = 0; x <= xMax + 1e-9; x += xs) {
    const px = PAD.left + (x / xMax) * plotW;
    parts.push(`<line x1="${px}" y1="${PAD.top + plotH}" x2="${px}" y2="${PAD.top + plotH + 4}" stroke="#333"/><text x="${px}" y="${PAD.top + plotH + 16}" font-size="10" text-anchor="middle">${+x.toFixed(2)}</text>`);
  }
  const ys = niceStep(yMax, 5);
  for (let y = 0; y <= yMax + 1e-9; y += ys) {
    const py = PAD.top + plotH - (y / yMax) * plotH;
    parts.push(`<line x1="${PAD.left}" y1="${py}" x2="${PAD.left + plotW}" y2="${py}" stroke="#eee"/><text x="${PAD.left - 4}" y="${py + 3}" font-size="10" text-anchor="end">${+y.toFixed(2)}</text>`);
  }
  parts.push(
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${PAD.left + plotW}" y2="${PAD.top + plotH}" stroke="#333"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#333"/>`,
    `<text x="${PAD.left + plotW / 2}" y="${H - 4}" font-size="11" text-anchor="middle">${escapeHtml(xLabel)}</text>`,
    `<text x="12" y="${PAD.top + plotH / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${PAD.top + plotH / 2})">${escapeHtml(yLabel)}</text>`,
  );
  return parts.join('');
}

/** A histogram of `values` in about `bins` equal bins. */
export function histogramSvg(values: readonly number[], xLabel: string, bins = 20): string {
  if (values.length === 0) return '<p>no data</p>';
  const max = Math.max(...values, 1);
  const width = niceStep(max, bins);
  const counts = new Array<number>(Math.floor(max / width) + 1).fill(0);
  for (const v of values) counts[Math.floor(v / width)]! += 1;
  const xMax = counts.length * width;
  const yMax = Math.max(...counts);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bars = counts
    .map((c, i) => {
      const h = (c / yMax) * plotH;
      return `<rect x="${PAD.left + ((i * width) / xMax) * plotW + 1}" y="${PAD.top + plotH - h}" width="${Math.max(1, (width / xMax) * plotW - 2)}" height="${h}" fill="#1f77b4"><title>${i * width}-${(i + 1) * width}: ${c}</title></rect>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">${axes(xMax, yMax, xLabel, 'count')}${bars}</svg>`;
}

export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

/** One polyline per series, with a legend underneath. */
export function lineChartSvg(series: readonly Series[], xLabel: string, yLabel: string): string {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return '<p>no data</p>';
  const xMax = Math.max(...all.map(([x]) => x), 1);
  const yMax = Math.max(...all.map(([, y]) => y), 1);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const lines = series
    .map((s, i) => {
      const pts = s.points.map(([x, y]) => `${(PAD.left + (x / xMax) * plotW).toFixed(1)},${(PAD.top + plotH - (y / yMax) * plotH).toFixed(1)}`).join(' ');
      return `<polyline fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="1.5" points="${pts}"><title>${escapeHtml(s.name)}</title></polyline>`;
    })
    .join('');
  const legendRows = Math.ceil(series.length / 4);
  const legend = series
    .map((s, i) => {
      const x = PAD.left + (i % 4) * 150;
      const y = H + 14 + Math.floor(i / 4) * 16;
      return `<rect x="${x}" y="${y - 8}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/><text x="${x + 14}" y="${y}" font-size="11">${escapeHtml(s.name)}</text>`;
    })
    .join('');
  const total = H + 8 + legendRows * 16;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${total}" viewBox="0 0 ${W} ${total}" role="img">${axes(xMax, yMax, xLabel, yLabel)}${lines}${legend}</svg>`;
}
