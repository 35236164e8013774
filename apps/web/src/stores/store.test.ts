import { describe, expect, it } from 'vitest';
import { computed, nextTick, ref, watch } from 'vue';
import { defineStore, resetStores } from './store.ts';

describe('defineStore', () => {
  let runs = 0;
  let watched = 0;
  const useCounter = defineStore(() => {
    runs += 1;
    const count = ref(0);
    const double = computed(() => count.value * 2);
    watch(count, () => (watched += 1));
    return { count, double, bump: () => (count.value += 1) };
  });

  it('runs setup once and reads refs unwrapped, writes through them', async () => {
    resetStores();
    runs = 0;
    const a = useCounter();
    const b = useCounter();
    expect(a).toBe(b);
    expect(runs).toBe(1);
    a.bump();
    b.count = 5;
    expect(a.count).toBe(5);
    expect(a.double).toBe(10);
    await nextTick();
    expect(watched).toBeGreaterThan(0);
  });

  it('resetStores stops the old store and starts a new one', async () => {
    resetStores();
    const old = useCounter();
    resetStores();
    watched = 0;
    old.count += 1;
    await nextTick();
    expect(watched).toBe(0);
    const fresh = useCounter();
    expect(fresh).not.toBe(old);
    expect(fresh.count).toBe(0);
  });
});
