// Issue 11 part 2: the camera's encoding follows the room. One participant watches its own
// senders (the parameters rtc-core set on them, and what the encoder then sent) while others join
// and leave, and while it shares its screen.
import { closeAll, expect, joinCall, test, uniqueRoom, type Participant } from './fixtures.ts';
import { recordPeerConnections } from './peerConnections.ts';

interface SenderView {
  camera: RTCRtpEncodingParameters;
  screen: RTCRtpEncodingParameters;
  mic: RTCRtpEncodingParameters;
  /** The camera's outbound-rtp towards that peer, when the encoder has reported one. */
  frameWidth?: number;
  framesPerSecond?: number;
}


/** The first encoding of each sender (layout: transceiver 0 mic, 1 camera, 2 screen) on every open connection. */
async function senders(p: Participant): Promise<SenderView[]> {
  return p.page.evaluate(async () => {
    const open = (window.__pcs ?? []).filter((pc) => pc.connectionState === 'connected');
    return Promise.all(
      open.map(async (pc) => {
        const [mic, camera, screen] = pc.getTransceivers().map((t) => t.sender);
        const first = (s: RTCRtpSender | undefined) => ({ ...s?.getParameters().encodings[0] });
        const view: SenderView = { mic: first(mic), camera: first(camera), screen: first(screen) };
        if (camera) {
          for (const stat of (await camera.getStats()).values()) {
            if (stat.type === 'outbound-rtp') Object.assign(view, { frameWidth: stat.frameWidth, framesPerSecond: stat.framesPerSecond });
          }
        }
        return view;
      }),
    );
  });
}

/** The camera step on every link, as "scale@fps", once all `links` links are connected. */
async function cameraSteps(p: Participant, links: number): Promise<string[]> {
  const views = await senders(p);
  return views.length === links ? views.map((v) => `${v.camera.scaleResolutionDownBy}@${v.camera.maxFramerate}`) : [`${views.length} links`];
}

test('the camera steps down as people join and back up as they leave; a shared screen takes the larger share', async ({ browser, server }) => {
  test.setTimeout(240_000);
  const people: Participant[] = [];
  const figures: Array<Record<string, unknown>> = [];
  const record = async (label: string) => {
    const views = await senders(ana);
    const figure = { label, links: views.map((v) => ({ camera: v.camera, screen: { maxBitrate: v.screen.maxBitrate, priority: v.screen.priority }, mic: [v.mic.priority, v.mic.networkPriority], frameWidth: v.frameWidth, fps: v.framesPerSecond })) };
    figures.push(figure);
    console.log(JSON.stringify(figure));
    return views;
  };
  const ana = await joinCall(browser, server.url, uniqueRoom('steps'), 'Ana', recordPeerConnections);
  people.push(ana);
  const room = new URL(ana.page.url()).pathname.split('/').pop() ?? '';
  try {
    const captured = await ana.page.evaluate(() => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="tile"][data-self] video');
      const track = (video?.srcObject as MediaStream | null)?.getVideoTracks()[0];
      return track?.getSettings().width ?? 640;
    });

    // 1, 2, 3 others: full size at 30 fps, then 1.5x smaller at 24 from the third.
    const expected = ['1@30', '1@30', '1.5@24'];
    for (const [i, name] of ['Ben', 'Cleo', 'Dan'].entries()) {
      people.push(await joinCall(browser, server.url, room, name));
      const others = i + 1;
      await expect.poll(() => cameraSteps(ana, others), { timeout: 30_000 }).toEqual(Array(others).fill(expected[i]));
      const views = await record(`${others} others`);
      for (const v of views) {
        // Audio is never starved: the highest priority on every link.
        expect([v.mic.priority, v.mic.networkPriority]).toEqual(['high', 'high']);
        // The encoder sends no more than the step allows (CPU adaptation may send less).
        if (v.frameWidth) expect(v.frameWidth).toBeLessThanOrEqual(Math.ceil(captured / v.camera.scaleResolutionDownBy!));
      }
    }

    // Dan leaves: back up to full size at 30 fps on the two remaining links.
    await people.pop()!.context.close();
    await expect.poll(() => cameraSteps(ana, 2), { timeout: 30_000 }).toEqual(['1@30', '1@30']);
    await record('2 others after a leave');

    // Ana shares her screen: the camera goes one step down, the screen gets the larger bitrate.
    await ana.page.getByTestId('toggle-screen').click();
    await expect(ana.page.getByTestId('toggle-screen')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(() => cameraSteps(ana, 2), { timeout: 30_000 }).toEqual(['1.5@24', '1.5@24']);
    for (const v of await record('2 others, screen shared')) {
      expect(v.screen.maxBitrate, 'the screen gets more than the camera on this link').toBeGreaterThan(v.camera.maxBitrate ?? Infinity);
      expect(v.screen.priority).toBe('medium');
      expect(v.camera.priority).toBe('low');
    }

    await ana.page.getByTestId('toggle-screen').click();
    await expect.poll(() => cameraSteps(ana, 2), { timeout: 30_000 }).toEqual(['1@30', '1@30']);
    await record('2 others, screen stopped');
    test.info().annotations.push({ type: 'video steps', description: JSON.stringify(figures) });
  } finally {
    await closeAll(people);
  }
});
