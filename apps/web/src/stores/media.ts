import { LocalMedia, consoleLogger } from '@meshmeet/rtc-core';
import type { MediaSource } from '@meshmeet/protocol';
import { defineStore } from './store.ts';
import { computed, markRaw, ref, shallowRef } from 'vue';
import { describeError, errorCode, type UserError } from '../lib/userErrors.ts';
import { usePrefsStore } from './prefs.ts';

export type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput';

/**
 * What every camera is asked for. In a mesh each picture is encoded once per other participant,
 * so a modest 16:9 format matches the 16:9 tiles (nothing is cropped away); 30 fps is what a small
 * call sends, and rtc-core's camera steps (videoSteps.ts) lower size and rate per link as the room grows.
 */
export const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 640 },
  height: { ideal: 360 },
  frameRate: { ideal: 30, max: 30 },
};

/** Whether the browser can route audio to a chosen speaker (HTMLMediaElement.setSinkId). */
/**
 * Camera, microphone and screen sharing need a secure context (https, or localhost): elsewhere the
 * browser has no navigator.mediaDevices, and asking would only fail. Receiving still works.
 */
export const mediaBlocked = typeof globalThis.isSecureContext === 'boolean' && !globalThis.isSecureContext;

export const canPickSpeaker = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/**
 * This browser's microphone, camera and screen share: one rtc-core LocalMedia for the whole visit,
 * used by the lobby preview and attached to the mesh during a call.
 */
export const useMediaStore = defineStore(() => {
  const { prefs } = usePrefsStore();
  const local = markRaw(new LocalMedia({ logger: consoleLogger('warn') }));

  const mic = ref(false);
  const camera = ref(false);
  const screen = ref(false);
  const micTrack = shallowRef<MediaStreamTrack | null>(null);
  const cameraStream = shallowRef<MediaStream | null>(null);
  const screenStream = shallowRef<MediaStream | null>(null);
  const devices = shallowRef<MediaDeviceInfo[]>([]);
  /** The last problem with a device, shown in the lobby and as a toast in the call. */
  const problem = ref<UserError | null>(null);
  /** Sources that are starting, so buttons do not fire twice. */
  const busy = ref<Set<MediaSource>>(new Set());

  local.on('changed', ({ source, track }) => {
    if (source === 'mic') {
      mic.value = track !== null;
      micTrack.value = track;
    } else if (source === 'camera') {
      camera.value = track !== null;
      cameraStream.value = track ? new MediaStream([track]) : null;
      // Best effort: a camera that cannot do this keeps its own format.
      if (track) void track.applyConstraints(CAMERA_CONSTRAINTS).catch(() => undefined);
    } else {
      screen.value = track !== null;
      screenStream.value = track ? new MediaStream([track]) : null;
    }
  });

  const receiveOnly = computed(() => !mic.value && !camera.value);

  async function refreshDevices(): Promise<void> {
    try {
      devices.value = await local.listDevices();
    } catch {
      devices.value = [];
    }
  }

  function devicesOf(kind: DeviceKind): MediaDeviceInfo[] {
    return devices.value.filter((d) => d.kind === kind && d.deviceId !== '');
  }

  async function enable(source: MediaSource): Promise<boolean> {
    if (busy.value.has(source)) return false;
    if (mediaBlocked) {
      problem.value = describeError('INSECURE_CONTEXT');
      return false;
    }
    busy.value = new Set(busy.value).add(source);
    try {
      const deviceId = source === 'mic' ? prefs.micDeviceId : source === 'camera' ? prefs.cameraDeviceId : null;
      await local.enable(source, deviceId ? { deviceId } : undefined);
      if (source !== 'screen') problem.value = null;
      return true;
    } catch (error) {
      const code = errorCode(error);
      // Cancelling the screen picker is a choice, not a problem worth a message.
      if (!(source === 'screen' && code === 'PERMISSION_DENIED')) problem.value = describeError(code);
      return false;
    } finally {
      const next = new Set(busy.value);
      next.delete(source);
      busy.value = next;
    }
  }

  async function disable(source: MediaSource): Promise<void> {
    await local.disable(source);
  }

  async function toggle(source: 'mic' | 'camera' | 'screen'): Promise<void> {
    const on = source === 'mic' ? mic.value : source === 'camera' ? camera.value : screen.value;
    if (on) await disable(source);
    else await enable(source);
    if (source === 'mic') prefs.micOn = mic.value;
    if (source === 'camera') prefs.cameraOn = camera.value;
  }

  /** Lobby start: turn on what the person had on last time, then learn the device names. */
  async function startPreview(): Promise<void> {
    // The lobby's insecure-page notice says why; no per-device failure on top of it.
    if (mediaBlocked) return;
    const wanted: MediaSource[] = [];
    if (prefs.cameraOn && !camera.value) wanted.push('camera');
    if (prefs.micOn && !mic.value) wanted.push('mic');
    await Promise.all(wanted.map((s) => enable(s)));
    await refreshDevices();
  }

  async function selectDevice(kind: 'audioinput' | 'videoinput', deviceId: string): Promise<void> {
    const source = kind === 'audioinput' ? 'mic' : 'camera';
    if (kind === 'audioinput') prefs.micDeviceId = deviceId;
    else prefs.cameraDeviceId = deviceId;
    const on = source === 'mic' ? mic.value : camera.value;
    if (!on) return;
    try {
      await local.switchDevice(source, deviceId);
    } catch (error) {
      problem.value = describeError(errorCode(error));
    }
  }

  function selectSpeaker(deviceId: string): void {
    prefs.speakerDeviceId = deviceId;
  }

  function stopAll(): void {
    local.stopAll();
  }

  if (typeof navigator !== 'undefined' && navigator.mediaDevices) {
    navigator.mediaDevices.addEventListener('devicechange', () => void refreshDevices());
  }

  return {
    local,
    mic,
    camera,
    screen,
    micTrack,
    cameraStream,
    screenStream,
    devices,
    problem,
    busy,
    receiveOnly,
    devicesOf,
    enable,
    disable,
    toggle,
    startPreview,
    refreshDevices,
    selectDevice,
    selectSpeaker,
    stopAll,
  };
});
