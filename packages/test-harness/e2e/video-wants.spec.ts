// Issue 11 part 3: receivers say what they need. Two tabs; B's page is made hidden (the
// visibility API emulated in the page, as a minimised window reports it), and A, the sender,
// must pause its camera towards B within 2 s (encoding `active: false`, no more video bytes) while
// audio goes on, then resume within 2 s of B showing again. A narrow window (a tile under 240 px)
// gets the smaller picture. Last, B drops its own `want`
// messages (a peer that never asks, like an older client): hidden, it keeps receiving video.
import type { Page } from '@playwright/test';
import { closeAll, expect, expectPlaying, joinCall, REMOTE_VIDEOS, test, uniqueRoom, type Participant } from './fixtures.ts';
import { recordPeerConnections } from './peerConnections.ts';

const LIMIT_MS = 2000;
/** How long "stopped" must hold: longer than a frame interval and an RTCP report interval. */
const QUIET_MS = 2000;


interface CameraView {
  /** The camera sender's first encoding (transceiver 1 of the layout) is active. */
  active: boolean | undefined;
  videoBytes: number;
  audioBytes: number;
  at: number;
}

/** A's only connection (to B): the camera encoding's `active`, and the bytes sent so far. */
function camera(page: Page): Promise<CameraView> {
  return page.evaluate(async () => {
    const pc = (window.__pcs ?? []).find((c) => c.connectionState === 'connected');
    if (!pc) throw new Error('no connected peer connection');
    const active = pc.getTransceivers()[1]?.sender.getParameters().encodings[0]?.active;
    let videoBytes = 0;
    let audioBytes = 0;
    (await pc.getStats()).forEach((s: { type: string; kind?: string; bytesSent?: number }) => {
      if (s.type !== 'outbound-rtp') return;
      if (s.kind === 'video') videoBytes += s.bytesSent ?? 0;
      else if (s.kind === 'audio') audioBytes += s.bytesSent ?? 0;
    });
    return { active, videoBytes, audioBytes, at: performance.now() };
  });
}

/** Emulates the page being hidden (minimised, another tab in front) or shown again. */
function setHidden(page: Page, hidden: boolean): Promise<void> {
  return page.evaluate((hide) => {
    if (hide) {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    } else {
      // The own properties go: the prototype's getters answer again.
      delete (document as unknown as Record<string, unknown>).visibilityState;
      delete (document as unknown as Record<string, unknown>).hidden;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** Polls until `done` holds for A's camera; the time since `start` (ms) and the view then. */
async function until(page: Page, done: (v: CameraView) => boolean, timeoutMs: number, start = Date.now()): Promise<{ ms: number; view: CameraView }> {
  for (;;) {
    const view = await camera(page);
    if (done(view)) return { ms: Date.now() - start, view };
    if (Date.now() - start > timeoutMs) return { ms: Infinity, view };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A's bytes over QUIET_MS: video and audio growth. */
async function growth(page: Page): Promise<{ video: number; audio: number }> {
  const before = await camera(page);
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  const after = await camera(page);
  return { video: after.videoBytes - before.videoBytes, audio: after.audioBytes - before.audioBytes };
}

test("a hidden tab's incoming video is paused on the sender's side within 2 s and resumed when shown; a peer that never asks keeps its video", async ({ browser, server }) => {
  test.setTimeout(120_000);
  const room = uniqueRoom('wants');
  const people: Participant[] = [];
  try {
    const a = await joinCall(browser, server.url, room, 'Ana', recordPeerConnections);
    people.push(a);
    const b = await joinCall(browser, server.url, room, 'Ben');
    people.push(b);
    await expectPlaying(a.page, REMOTE_VIDEOS, 1);
    await expectPlaying(b.page, REMOTE_VIDEOS, 1);
    const figures: Record<string, unknown> = {};
    expect((await camera(a.page)).active).toBe(true);
    const flowing = await growth(a.page);
    expect(flowing.video, 'video flows before B hides').toBeGreaterThan(0);

    // B hides: A's camera towards B stops within 2 s, its audio does not. A is sampled every
    // 50 ms for 2 s and then QUIET_MS more: when `active` went false, when the bytes last grew.
    const samples: Array<CameraView & { ms: number }> = [{ ...(await camera(a.page)), ms: 0 }];
    await setHidden(b.page, true);
    const hiddenAt = Date.now();
    while (Date.now() - hiddenAt < LIMIT_MS + QUIET_MS) {
      samples.push({ ...(await camera(a.page)), ms: Date.now() - hiddenAt });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const pausedMs = samples.find((v) => v.active === false)?.ms ?? Infinity;
    const lastGrowthMs = samples.reduce((last, v, i) => (i > 0 && v.videoBytes > samples[i - 1]!.videoBytes ? v.ms : last), 0);
    const tail = samples.filter((v) => v.ms >= LIMIT_MS);
    const quiet = { video: tail.at(-1)!.videoBytes - tail[0]!.videoBytes, audio: tail.at(-1)!.audioBytes - tail[0]!.audioBytes, ms: tail.at(-1)!.ms - tail[0]!.ms };
    Object.assign(figures, { pausedMs, lastVideoBytesMs: lastGrowthMs, hiddenWindow: quiet });
    console.log(`B hidden: A's camera to B active:false after ${pausedMs} ms, its video bytes last grew at ${lastGrowthMs} ms; from 2 s, over ${quiet.ms} ms: ${quiet.video} video bytes, ${quiet.audio} audio bytes`);
    expect(pausedMs, 'paused within 2 s').toBeLessThanOrEqual(LIMIT_MS);
    expect(lastGrowthMs, 'video bytes stopped within 2 s').toBeLessThanOrEqual(LIMIT_MS);
    expect(quiet.video, 'no video bytes while B is hidden').toBe(0);
    expect(quiet.audio, 'audio goes on').toBeGreaterThan(0);

    // B shows again: the camera resumes within 2 s, and B's tile plays.
    const before = await camera(a.page);
    await setHidden(b.page, false);
    const shownAt = Date.now();
    const resumed = await until(a.page, (v) => v.active === true, 5000, shownAt);
    const sending = await until(a.page, (v) => v.videoBytes > before.videoBytes, 5000, shownAt);
    Object.assign(figures, { resumedMs: resumed.ms, bytesAgainMs: sending.ms });
    console.log(`B shown: active:true after ${resumed.ms} ms, video bytes growing again after ${sending.ms} ms`);
    expect(resumed.ms, 'resumed within 2 s').toBeLessThanOrEqual(LIMIT_MS);
    expect(sending.ms, 'video bytes again within 2 s').toBeLessThanOrEqual(LIMIT_MS);
    await expectPlaying(b.page, REMOTE_VIDEOS, 1, 10_000);

    // B's window shrinks until A's tile is under 240 px: A sends B the smaller picture (twice
    // the step's downscale), and the full one again once the window is wide.
    const scale = () => a.page.evaluate(() => (window.__pcs ?? []).find((c) => c.connectionState === 'connected')?.getTransceivers()[1]?.sender.getParameters().encodings[0]?.scaleResolutionDownBy);
    await b.page.setViewportSize({ width: 250, height: 500 });
    await expect.poll(scale, { timeout: LIMIT_MS }).toBe(2);
    await b.page.setViewportSize({ width: 1280, height: 720 });
    await expect.poll(scale, { timeout: LIMIT_MS }).toBe(1);
    console.log('B narrow: A scaled its camera to B down by 2, back to 1 when wide');

    // A peer that never says what it needs (its wants dropped before they leave) keeps its video.
    await b.page.evaluate(() => {
      const send = RTCDataChannel.prototype.send;
      RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: never) {
        if (typeof data === 'string' && (data as string).includes('"t":"want"')) return;
        send.call(this, data);
      };
    });
    await setHidden(b.page, true);
    await new Promise((resolve) => setTimeout(resolve, LIMIT_MS));
    const unasked = await growth(a.page);
    const still = await camera(a.page);
    Object.assign(figures, { neverAskedWindow: unasked });
    console.log(`B hidden but never asking: active ${String(still.active)}; over ${QUIET_MS} ms: ${unasked.video} video bytes`);
    expect(still.active).toBe(true);
    expect(unasked.video, 'a peer that never asks keeps receiving video').toBeGreaterThan(0);
    test.info().annotations.push({ type: 'video wants', description: JSON.stringify(figures) });
  } finally {
    await closeAll(people);
  }
});
