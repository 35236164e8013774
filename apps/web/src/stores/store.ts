import { effectScope, reactive, type EffectScope, type UnwrapNestedRefs } from 'vue';

/**
 * The app's stores without Pinia. Every store here is a setup store used through its `useXxxStore`
 * function, and the app used none of what Pinia adds on top (devtools, plugins, `$patch`,
 * `$subscribe`, SSR state), which cost 2.4 kB of the 60 kB bundle budget (issue 14).
 *
 * What Pinia did that matters is kept: the setup runs once, on first use, in a detached effect
 * scope (so a store's watchers and computeds outlive the component that happened to call it first),
 * and the store is a `reactive` of what setup returns, so refs read unwrapped (`call.phase`).
 */
type Instance = { scope: EffectScope; store: object };
const instances = new Map<() => object, Instance>();

export function defineStore<T extends object>(setup: () => T): () => UnwrapNestedRefs<T> {
  return () => {
    let instance = instances.get(setup);
    if (!instance) {
      const scope = effectScope(true);
      instance = { scope, store: reactive(scope.run(setup)!) };
      instances.set(setup, instance);
    }
    return instance.store as UnwrapNestedRefs<T>;
  };
}

/** Stops every store and forgets it, so the next `useXxxStore()` starts afresh (tests). */
export function resetStores(): void {
  for (const { scope } of instances.values()) scope.stop();
  instances.clear();
}
