export type ShortcutAction = 'mic' | 'camera';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat?: boolean;
  /** The element the key went to; typing in a field never triggers a shortcut. */
  target: { tagName?: string; isContentEditable?: boolean } | null;
}

/** Single keys so they are easy to remember and to announce in button titles. */
export const SHORTCUT_KEYS: Readonly<Record<ShortcutAction, string>> = { mic: 'M', camera: 'V' };

const EDITABLE = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/** The action a key press asks for, or null. */
export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return null;
  const target = event.target;
  if (target && (target.isContentEditable || (target.tagName && EDITABLE.has(target.tagName.toUpperCase())))) {
    return null;
  }
  const key = event.key.toUpperCase();
  if (key === SHORTCUT_KEYS.mic) return 'mic';
  if (key === SHORTCUT_KEYS.camera) return 'camera';
  return null;
}
