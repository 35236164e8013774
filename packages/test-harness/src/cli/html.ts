import type { RunReport } from './report.ts';
import { formatReport } from './report.ts';
import { escapeHtml, histogramSvg, lineChartSvg, type Series } from './svg.ts';

/** Received fps over time per bot: the mean over its incoming flows, per stats sample second. */
export function fpsSeries(report: RunReport): Series[] {
  return report.bots.map((bot) => {
    const buckets = new Map<number, number[]>();
    for (const peer of bot.peers) {
      for (const [t, fps] of peer.fps) {
        const second = Math.round(t / 1000);
        buckets.set(second, [...(buckets.get(second) ?? []), fps]);
      }
    }
    const points = [...buckets.entries()].sort(([a], [b]) => a - b).map(([s, v]) => [s, v.reduce((a, b) => a + b, 0) / v.length] as const);
    return { name: bot.name, points };
  });
}

/** A self-contained HTML page: summary, plots (inline SVG) and the text table. */
export function renderHtml(report: RunReport): string {
  const sections: string[] = [];
  if (report.mode === 'media') {
    const joins = report.bots.filter((b) => b.joinedAt !== null).map((b) => (b.joinedAt ?? 0) - b.joinStartedAt);
    const firstFrames = report.flows.map((f) => f.firstFrameMs).filter((v): v is number => v !== null);
    sections.push(
      `<h2>Join time</h2>${histogramSvg(joins, 'join time (ms)')}`,
      `<h2>Time to first video frame per flow</h2>${histogramSvg(firstFrames, 'first frame after learning of the peer (ms)')}`,
      `<h2>Received fps over time per bot</h2>${lineChartSvg(fpsSeries(report), 'time since start (s)', 'received fps (mean over incoming flows)')}`,
    );
  } else {
    sections.push(
      `<h2>Join time</h2>${histogramSvg(report.participants.map((p) => p.joinMs).filter((v): v is number => v !== null), 'join time (ms)')}`,
      `<h2>Negotiation time per pair</h2>${histogramSvg(report.participants.flatMap((p) => p.negotiationMs), 'offer/answer/candidates exchanged (ms)')}`,
    );
  }
  const status = report.ok ? '<p class="ok">OK: every expected flow delivered</p>' : `<p class="fail">FAILED</p><ul>${report.failures.map((f) => `<li>${escapeHtml(f)}</li>`).join('')}</ul>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>meshmeet bots report</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}pre{background:#f6f6f6;padding:1em;overflow:auto;font-size:12px}.ok{color:#186a18}.fail{color:#a11}</style>
</head><body>
<h1>meshmeet ${report.mode === 'media' ? 'bots' : 'signaling-only'} run</h1>
<p>${escapeHtml(report.startedAt)} against ${escapeHtml(report.url)}: ${report.options.rooms.length} room(s) x ${report.options.count}, ${(report.options.durationMs / 1000).toFixed(0)} s, video ${escapeHtml(report.options.video ?? 'off')}; ${report.machine.cpus} cores, load ${report.machine.loadAverage.join(' ')}, Node ${escapeHtml(report.machine.node)}</p>
${status}
${sections.join('\n')}
<h2>Table</h2><pre>${escapeHtml(formatReport(report))}</pre>
</body></html>
`;
}
