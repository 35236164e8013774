import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFS, PREFS_KEY, loadPrefs, savePrefs, type Prefs } from './prefsStorage.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
  };
}

describe('prefs storage', () => {
  it('round-trips what was saved', () => {
    const storage = memoryStorage();
    const prefs: Prefs = { ...DEFAULT_PREFS, name: 'Ada', cameraDeviceId: 'cam-1', micOn: false, dataSaverKbps: 500 };
    savePrefs(storage, prefs);
    expect(loadPrefs(storage)).toEqual(prefs);
  });
  it('falls back to defaults when nothing, garbage or a non-object is stored', () => {
    expect(loadPrefs(memoryStorage())).toEqual(DEFAULT_PREFS);
    expect(loadPrefs(memoryStorage({ [PREFS_KEY]: '{oops' }))).toEqual(DEFAULT_PREFS);
    expect(loadPrefs(memoryStorage({ [PREFS_KEY]: '42' }))).toEqual(DEFAULT_PREFS);
    expect(loadPrefs(null)).toEqual(DEFAULT_PREFS);
  });
  it('drops invalid fields one by one', () => {
    const storage = memoryStorage({
      [PREFS_KEY]: JSON.stringify({ name: 'bad\u0007name', micDeviceId: 7, cameraOn: 'yes', speakerDeviceId: 'spk' }),
    });
    expect(loadPrefs(storage)).toEqual({ ...DEFAULT_PREFS, speakerDeviceId: 'spk' });
  });
  it('keeps a data saver level it knows, and turns anything else off', () => {
    const saved = (value: unknown) => loadPrefs(memoryStorage({ [PREFS_KEY]: JSON.stringify({ dataSaverKbps: value }) })).dataSaverKbps;
    expect(saved(250)).toBe(250);
    expect(saved(500)).toBe(500);
    for (const bad of [0, 100, '250', -500, null, 1e9]) expect(saved(bad)).toBeNull();
  });
  it('trims a saved name', () => {
    const storage = memoryStorage({ [PREFS_KEY]: JSON.stringify({ name: '  Grace  ' }) });
    expect(loadPrefs(storage).name).toBe('Grace');
  });
  it('survives a storage that throws', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(() => savePrefs(throwing, { ...DEFAULT_PREFS })).not.toThrow();
    expect(() => loadPrefs({ ...throwing, getItem: () => null })).not.toThrow();
  });
});
