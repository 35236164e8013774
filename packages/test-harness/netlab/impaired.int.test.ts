// Issue 9: a call over an impaired path holds. One home's uplink is capped at 1 Mbit/s in each
// direction (tbf: 32 kbit bucket, packets wait at most 400 ms) and loses 3% of the packets it
// forwards (iptables statistic); 100 ms delay is added only where the kernel has netem (this
// machine's has not: then the title says so). Timing is reported, not asserted: the test asserts
// that frames keep arriving both ways and nobody disconnects.
import { describe, expect, it } from 'vitest';
import { describeFlow, flowOver } from './flows.ts';
import { withLab } from './lab.ts';
import { LabParticipant, startCoturn, startLabSignaling } from './meshProcesses.ts';
import { netemAvailable, netlabUnsupportedReason, turnserverUnsupportedReason } from './run.ts';
import { IMPAIRED_VIDEO, impairedUplink, stunOnly } from './scenarios.ts';

const unsupported = (await netlabUnsupportedReason()) ?? (await turnserverUnsupportedReason());
const netem = unsupported === null && (await netemAvailable());
const HOLD_MS = 20_000;
const SLICE_MS = 5000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const IMPAIRED_UPLINK = impairedUplink(netem);

describe.skipIf(unsupported !== null)(`an impaired path (issue 9)${unsupported ? ` (skipped: ${unsupported})` : ''}`, () => {
  it(`1 Mbit/s uplink with 3% loss${netem ? ' and 100 ms delay' : ' (100 ms delay skipped: the kernel has no netem qdisc)'}: the call holds for 20 s`, async () => {
    await withLab({ homes: [{ name: 'a', nat: 'cone' }, { name: 'b', nat: 'cone' }] }, async (lab) => {
      const coturn = await startCoturn(lab);
      const server = await startLabSignaling(lab, stunOnly(coturn));
      const [alice, bob] = await Promise.all([
        LabParticipant.start(lab, 'a', { url: server.url, room: 'impaired', name: 'alice', video: IMPAIRED_VIDEO }),
        LabParticipant.start(lab, 'b', { url: server.url, room: 'impaired', name: 'bob', video: IMPAIRED_VIDEO }),
      ]);
      const [aliceId, bobId] = [alice.selfId!, bob.selfId!];
      await Promise.all([alice.waitForFrames(bobId, 30), bob.waitForFrames(aliceId, 30)]);

      await lab.impair('a', 'wan', IMPAIRED_UPLINK);
      const from = Date.now();
      await sleep(HOLD_MS);
      const to = Date.now();
      const counters = await lab.impairmentCounters('a', 'wan');

      const flows = [
        { name: 'bob -> alice (downlink)', receiver: alice, peer: bobId },
        { name: 'alice -> bob (uplink)', receiver: bob, peer: aliceId },
      ];
      console.log(
        `[issue 9] impaired uplink ${JSON.stringify(IMPAIRED_UPLINK)} for ${HOLD_MS / 1000} s:\n` +
          flows.map((f) => `  ${f.name}: ${describeFlow(flowOver(f.receiver, f.peer, from, to))}`).join('\n') +
          `\n  the uplink: ${counters.sentPackets} packets (${Math.round((counters.sentBytes * 8) / (to - from))} kbit/s, both directions) through its queues, ` +
          `${counters.lossDrops} dropped by the loss rule, ${counters.queueDrops} by a full queue`,
      );
      // The impairment was in effect (a loss rule that never matched would make this test pointless).
      expect(counters.lossDrops, 'packets the 3% loss rule dropped').toBeGreaterThan(0);
      // Frames kept arriving in every 5 s slice, both ways...
      for (const f of flows) {
        for (let t = from; t + SLICE_MS <= to; t += SLICE_MS) {
          expect(flowOver(f.receiver, f.peer, t, t + SLICE_MS).frames, `${f.name}, ${(t - from) / 1000}-${(t - from + SLICE_MS) / 1000} s`).toBeGreaterThan(0);
        }
      }
      // ...and nobody was disconnected, left or rejoined.
      for (const self of [alice, bob]) {
        const during = (ev: string) => self.events(ev).filter((l) => Number(l.t) > from && Number(l.t) <= to);
        expect(during('state').map((l) => l.state), `${self.process.name}'s link states`).not.toContainEqual(expect.stringMatching(/disconnected|failed|closed/));
        expect(during('participantLeft').concat(during('participantJoined'), during('signaling'))).toEqual([]);
      }
      expect([alice.selfId, bob.selfId]).toEqual([aliceId, bobId]);
    });
  }, 90_000);
});
