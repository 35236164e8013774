export type ShortcutAction = 'mic' | 'camera';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey?: boolean;
  repeat?: boolean;
  /** The element the key went to; typing in a field never triggers a shortcut. */
  target: { tagName?: string; isContentEditable?: boolean } | null;
}

// Ctrl/⌘ + D and E, the pair people know from other meeting apps. A modifier is required so
// that screen-reader and speech users cannot trigger them by accident (WCAG 2.1.4).
const KEYS: Readonly<Record<ShortcutAction, string>> = { mic: 'd', camera: 'e' };

const EDITABLE = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** The action a key press asks for, or null. */
export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey || event.repeat) return null;
  const target = event.target;
  if (target && (target.isContentEditable || (target.tagName && EDITABLE.has(target.tagName.toUpperCase())))) {
    return null;
  }
  const key = event.key.toLowerCase();
  if (key === KEYS.mic) return 'mic';
  if (key === KEYS.camera) return 'camera';
  return null;
}

/** How to write the shortcut in a button's tooltip on this platform. */
export function shortcutLabel(action: ShortcutAction, mac: boolean): string {
  const key = KEYS[action].toUpperCase();
  return mac ? `⌘${key}` : `Ctrl+${key}`;
}

export function isMacLike(platform: string): boolean {
  return /Mac|iPhone|iPad/u.test(platform);
}
