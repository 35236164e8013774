import { onBeforeUnmount, onMounted } from 'vue';
import { shortcutFor, type ShortcutAction } from '../lib/shortcuts.ts';

/** Calls `handler` for the mic/camera keyboard shortcuts while the calling component is mounted. */
export function useShortcuts(handler: (action: ShortcutAction) => void): void {
  const onKey = (event: KeyboardEvent): void => {
    const target = event.target instanceof HTMLElement ? event.target : null;
    const action = shortcutFor({
      key: event.key,
      ctrlKey: event.ctrlKey,
      metaKey: event.metaKey,
      altKey: event.altKey,
      shiftKey: event.shiftKey,
      repeat: event.repeat,
      target,
    });
    if (!action) return;
    // Ctrl+D would bookmark the page and Ctrl+E focus the search box otherwise.
    event.preventDefault();
    handler(action);
  };
  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
