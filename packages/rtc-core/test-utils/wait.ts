import type { MeshEvents } from '../src/types.ts';

type AnyListener = (...args: never[]) => void;

/** Anything with the Mesh's `on(event, listener) => unsubscribe` shape. */
export interface Subscribable<Events extends { [E in keyof Events]: AnyListener }> {
  on<E extends keyof Events>(event: E, listener: Events[E]): () => void;
}

/**
 * Resolves with the arguments of the next Mesh `event` for which `predicate` holds; rejects after
 * `timeoutMs` with a message naming the event.
 */
export function waitFor<E extends keyof MeshEvents>(
  mesh: Subscribable<MeshEvents>,
  event: E,
  predicate: (...args: Parameters<MeshEvents[E]>) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<Parameters<MeshEvents[E]>> {
  return waitForEvent<MeshEvents, E>(mesh, event, predicate, timeoutMs);
}

/** `waitFor` for any emitter of the same shape (LocalMedia, a SignalingChannel): name its event map. */
export function waitForEvent<Events extends { [E in keyof Events]: AnyListener }, E extends keyof Events>(
  emitter: Subscribable<Events>,
  event: E,
  predicate: (...args: Parameters<Events[E]>) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<Parameters<Events[E]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${String(event)}"`));
    }, timeoutMs);
    const listener = ((...args: Parameters<Events[E]>) => {
      if (!predicate(...args)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(args);
    }) as unknown as Events[E];
    const unsubscribe = emitter.on(event, listener);
  });
}

/** Polls `condition` until it holds (resolves) or `timeoutMs` passes (rejects with `what`). */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
