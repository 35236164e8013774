import { onScopeDispose, ref, type Ref } from 'vue';

/** Whether `query` matches now, kept up to date (false where matchMedia does not exist). */
export function useMediaQuery(query: string): Ref<boolean> {
  const matches = ref(false);
  if (typeof globalThis.matchMedia !== 'function') return matches;
  const list = globalThis.matchMedia(query);
  matches.value = list.matches;
  const onChange = (e: MediaQueryListEvent): void => {
    matches.value = e.matches;
  };
  list.addEventListener('change', onChange);
  onScopeDispose(() => list.removeEventListener('change', onChange));
  return matches;
}

/** Phones (and narrow windows): own video floats small, panels cover the call, secondary controls go under "More". */
export const PHONE_QUERY = '(max-width: 640px)';
