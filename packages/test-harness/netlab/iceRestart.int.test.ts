// Issue 8: a call survives a real network outage by ICE restart (rtc-core's PeerLink +
// RestartScheduler), not by leaving and joining again. Two participant processes in two routed
// homes (no NAT: with `iceServers: []` only host candidates exist, so the paths must be routable),
// the signaling server on the public network, and the media path really cut.
import { describe, expect, it } from 'vitest';
import { withLab, type Lab } from './lab.ts';
import { LabParticipant, startLabSignaling } from './meshProcesses.ts';
import type { JsonLine } from './proc.ts';
import { netlabUnsupportedReason } from './run.ts';

const unsupported = await netlabUnsupportedReason();
/**
 * 15 s of dropped UDP, not 10: wrtc notices the loss after 5.3-7.7 s and the default policy waits
 * 3 s more, so after 10 s the path was sometimes back first and the old pair healed by itself
 * (ICE consent) without any restart, which is not what this test is about.
 */
const UDP_OUTAGE_MS = 15_000;
const LINK_OUTAGE_MS = 10_000;
/** Generous: the measured figure is printed; this only catches "never came back". */
const RECOVERY_BOUND_MS = 30_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Outage {
  ms: number;
  cut(lab: Lab): Promise<void>;
  restore(lab: Lab): Promise<void>;
}

/** One participant's lines from the cut until the lab was torn down (teardown's own events excluded). */
type During = (self: LabParticipant, ev: string) => JsonLine[];

interface Outcome {
  alice: LabParticipant;
  bob: LabParticipant;
  during: During;
  backAt: number;
}

/**
 * A call through an outage, checked as a user would: frames stop, come back within the bound,
 * keep flowing, with the same two people (nobody left or joined). Prints the timeline.
 */
async function callThroughOutage(outage: Outage, room: string): Promise<Outcome> {
  return withLab({ homes: [{ name: 'a', nat: 'none' }, { name: 'b', nat: 'none' }] }, async (lab) => {
    const server = await startLabSignaling(lab);
    // Started together: each process spends a second or two loading tsx and wrtc.
    const [alice, bob] = await Promise.all([
      LabParticipant.start(lab, 'a', { url: server.url, room, name: 'alice' }),
      LabParticipant.start(lab, 'b', { url: server.url, room, name: 'bob' }),
    ]);
    const aliceId = alice.selfId!;
    const bobId = bob.selfId!;
    await Promise.all([alice.waitForFrames(bobId, 30), bob.waitForFrames(aliceId, 30)]);

    const cutAt = Date.now();
    await outage.cut(lab);
    await sleep(outage.ms);
    const backAt = Date.now();
    await outage.restore(lab);

    // Frames stopped: nothing new between 2 s into the outage (the jitter buffer drains) and its end.
    for (const [self, peer] of [[alice, bobId], [bob, aliceId]] as const) {
      expect(self.framesFromAt(peer, backAt) - self.framesFromAt(peer, cutAt + 2000), `${self.process.name} got frames during the outage`).toBe(0);
    }
    // ...flow again: the first frame after the silence (or a first frame at all, should the
    // track have been replaced; the id checks below tell a rejoin apart)...
    const resumed = (self: LabParticipant): Promise<JsonLine> =>
      self.process.waitFor((l) => (l.ev === 'framesResumed' || l.ev === 'firstFrame') && Number(l.t) > cutAt, `${self.process.name}: frames again`, RECOVERY_BOUND_MS);
    const [toAlice, toBob] = await Promise.all([resumed(alice), resumed(bob)]);
    // ...and keep flowing 5 s later...
    await sleep(5000);
    // ...in the same call: the same ids (a rejoin shows as a new one within 250 ms)...
    expect([alice.selfId, bob.selfId], "the participants' ids after the outage").toEqual([aliceId, bobId]);
    expect([toAlice.peer, toBob.peer], 'whose frames came back').toEqual([bobId, aliceId]);
    await Promise.all([alice.waitForFrames(bobId, 30), bob.waitForFrames(aliceId, 30)]);
    const endAt = Date.now();
    const during: During = (self, ev) => self.events(ev).filter((l) => Number(l.t) > cutAt && Number(l.t) <= endAt);

    const at = (t: unknown): string => `+${((Number(t) - cutAt) / 1000).toFixed(1)}s`;
    const timeline = (self: LabParticipant): string =>
      [
        ...during(self, 'state').map((l) => [Number(l.t), `event:${String(l.state)}@${at(l.t)}`] as const),
        ...during(self, 'pcState').map((l) => [Number(l.t), `pc:${String(l.states)}@${at(l.t)}`] as const),
        ...during(self, 'ice').map((l) => [Number(l.t), `restart@${at(l.t)}`] as const),
      ]
        .sort((x, y) => x[0] - y[0])
        .map(([, text]) => text)
        .join(' ');
    const pcConnectedAt = (self: LabParticipant): number => Number(during(self, 'pcState').find((l) => String(l.states) === 'connected')?.t ?? NaN);
    console.log(
      `[issue 8] ${room}: path back at ${at(backAt)}; first new frame ${Number(toAlice.t) - backAt} ms later at alice ` +
        `(${Number(toAlice.t) - pcConnectedAt(alice)} ms after her pc was connected), ${Number(toBob.t) - backAt} ms at bob ` +
        `(${Number(toBob.t) - pcConnectedAt(bob)} ms after)\n  alice: ${timeline(alice)}\n  bob:   ${timeline(bob)}`,
    );

    for (const line of [toAlice, toBob]) expect(Number(line.t)).toBeGreaterThanOrEqual(backAt);
    // Nobody left or joined, and the connections are really back.
    for (const self of [alice, bob]) {
      expect(during(self, 'participantJoined').concat(during(self, 'participantLeft'))).toEqual([]);
      expect(during(self, 'pcState').at(-1)?.states, `${self.process.name}'s peer connection`).toEqual(['connected']);
    }
    return { alice, bob, during, backAt };
  });
}

describe.skipIf(unsupported !== null)(`ICE restart against a real outage (issue 8)${unsupported ? ` (skipped: ${unsupported})` : ''}`, () => {
  let udpOutage: Outcome | null = null;

  it('video comes back after 15 s of dropped UDP, same peers, through an ICE restart while signaling stays up', async () => {
    const outcome = await callThroughOutage(
      { ms: UDP_OUTAGE_MS, cut: (lab) => lab.setUdpBlocked('a', true), restore: (lab) => lab.setUdpBlocked('a', false) },
      'issue8-udp',
    );
    udpOutage = outcome;
    for (const self of [outcome.alice, outcome.bob]) {
      // Isolates ICE restart: the signaling connection never dropped...
      expect(outcome.during(self, 'signaling')).toEqual([]);
      // ...and ICE restarted during the outage (new local ufrags on both sides, whoever offered it),
      // so the recovery went through the restarted ICE, not the old pair healing by itself.
      expect(outcome.during(self, 'ice').filter((l) => Number(l.t) < outcome.backAt).length, `${self.process.name}'s ICE restarts during the outage`).toBeGreaterThan(0);
    }
  }, 90_000);

  // wrtc sometimes never fires the connectionstatechange of the return to `connected` after a
  // restart (found by this lab); PeerLink reads the state again on ICE events and every second.
  it(
    'after that outage, the mesh reports both links connected again',
    () => {
      expect(udpOutage, 'the outage test above ran').not.toBeNull();
      for (const self of [udpOutage!.alice, udpOutage!.bob]) {
        expect(udpOutage!.during(self, 'state').at(-1)?.state, `${self.process.name}'s link as the mesh reports it`).toBe('connected');
      }
    },
  );

  // The whole home goes offline and its connections break (ss -K: a 10 s cut alone leaves the
  // signaling socket in TCP retransmits, unnoticed), so signaling drops too and the participant
  // must resume its membership (same peer id) within the server's grace rather than join again.
  it(
    "video comes back after the home's uplink is down for 10 s, same peers, the membership resumed",
    async () => {
      const outcome = await callThroughOutage(
        {
          ms: LINK_OUTAGE_MS,
          cut: async (lab) => {
            await lab.linkDown('a');
            await lab.killTcp('a');
          },
          restore: (lab) => lab.linkUp('a'),
        },
        'issue8-link',
      );
      // The variant's point: alice's signaling really went away and came back.
      expect(outcome.during(outcome.alice, 'signaling').map((l) => l.state)).toContain('reconnecting');
    },
    90_000,
  );
});
