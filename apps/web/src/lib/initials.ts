const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function firstGrapheme(word: string): string {
  for (const { segment } of segmenter.segment(word)) return segment;
  return '';
}

/**
 * The one or two letters shown on a tile whose camera is off: first letter of the first and of the
 * last word. Works per grapheme so that accented letters and emoji are never cut in half.
 */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter((w) => w.length > 0);
  const first = words[0];
  if (first === undefined) return '?';
  const last = words.length > 1 ? words[words.length - 1] : undefined;
  return (firstGrapheme(first) + (last === undefined ? '' : firstGrapheme(last))).toLocaleUpperCase();
}

/** A stable hue (0-359) for a peer's avatar, so that everyone sees the same colour for the same name. */
export function avatarHue(seed: string): number {
  let hash = 0;
  for (let i = 0; i < seed.length; i++) hash = (hash * 31 + seed.charCodeAt(i)) >>> 0;
  return hash % 360;
}
