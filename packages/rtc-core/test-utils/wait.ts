type AnyListener = (...args: never[]) => void;

/** Anything with the Mesh's `on(event, listener) => unsubscribe` shape. */
export interface Subscribable<Events extends { [E in keyof Events]: AnyListener }> {
  on<E extends keyof Events>(event: E, listener: Events[E]): () => void;
}

/**
 * Resolves with the arguments of the next `event` for which `predicate` holds; rejects after
 * `timeoutMs` with a message naming the event.
 */
export function waitFor<Events extends { [E in keyof Events]: AnyListener }, E extends keyof Events>(
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
