import { checkDisplayName } from '@meshmeet/protocol/checks';

/** What the browser remembers between visits. Device ids are per origin, so they can be kept too. */
export interface Prefs {
  name: string;
  micDeviceId: string | null;
  cameraDeviceId: string | null;
  speakerDeviceId: string | null;
  micOn: boolean;
  cameraOn: boolean;
  /** "Data saver": the most video (kbps) to send in total, below the server's budget; null = off. */
  dataSaverKbps: DataSaverKbps | null;
}

/** The data saver's levels: 500 kbps keeps a 4-person call watchable, 250 is for a poor uplink. */
export const DATA_SAVER_KBPS = [500, 250] as const;
export type DataSaverKbps = (typeof DATA_SAVER_KBPS)[number];

export function isDataSaverKbps(value: unknown): value is DataSaverKbps {
  return (DATA_SAVER_KBPS as readonly unknown[]).includes(value);
}

export const DEFAULT_PREFS: Readonly<Prefs> = Object.freeze({
  name: '',
  micDeviceId: null,
  cameraDeviceId: null,
  speakerDeviceId: null,
  micOn: true,
  cameraOn: true,
  dataSaverKbps: null,
});

export const PREFS_KEY = 'meshmeet.prefs.v1';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= 512 ? value : null;
}

/** Reads the saved prefs; anything missing, corrupt or invalid falls back to the default. */
export function loadPrefs(storage: KeyValueStore | null): Prefs {
  let raw: unknown;
  try {
    raw = JSON.parse(storage?.getItem(PREFS_KEY) ?? 'null');
  } catch {
    return { ...DEFAULT_PREFS };
  }
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_PREFS };
  const saved = raw as Record<string, unknown>;
  const name = checkDisplayName(saved.name);
  return {
    name: name.success ? name.data : '',
    micDeviceId: stringOrNull(saved.micDeviceId),
    cameraDeviceId: stringOrNull(saved.cameraDeviceId),
    speakerDeviceId: stringOrNull(saved.speakerDeviceId),
    micOn: typeof saved.micOn === 'boolean' ? saved.micOn : DEFAULT_PREFS.micOn,
    cameraOn: typeof saved.cameraOn === 'boolean' ? saved.cameraOn : DEFAULT_PREFS.cameraOn,
    dataSaverKbps: isDataSaverKbps(saved.dataSaverKbps) ? saved.dataSaverKbps : null,
  };
}

/** Saves prefs; a full or forbidden storage (private mode) is not worth failing a call over. */
export function savePrefs(storage: KeyValueStore | null, prefs: Prefs): void {
  try {
    storage?.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // Nothing to do: the prefs simply are not remembered.
  }
}

/** localStorage where the browser allows it (some block it entirely), else null. */
export function browserStorage(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}
