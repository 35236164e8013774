// The lab itself, with real namespaces and a UDP echo (udpProbe.ts) standing in for ping.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { listNamespaces, sweepStaleLabs, withLab } from './lab.ts';
import { startEcho, startProbeClient } from './probe.ts';
import { netemAvailable, netlabUnsupportedReason, run } from './run.ts';

const unsupported = await netlabUnsupportedReason();
const noNetem = unsupported === null && !(await netemAvailable()) ? 'the kernel has no netem qdisc' : null;
/** For sends expected to get no answer: the path was just shown to work, so one short try is enough. */
const once = { timeoutMs: 500, tries: 1 };
const port = (address: string | null): number => Number(address?.split(':')[1]);

describe.skipIf(unsupported !== null)(`NAT lab${unsupported ? ` (skipped: ${unsupported})` : ''}`, () => {
  it('routes NAT-less homes: a host reaches the other home and the public network with its own address', async () => {
    await withLab({ homes: [{ name: 'a', nat: 'none' }, { name: 'b', nat: 'none' }] }, async (lab) => {
      const a = lab.home('a');
      const b = lab.home('b');
      await startEcho(lab, b.hostNs, b.hostAddress, [7000]);
      await startEcho(lab, lab.publicNs, lab.publicAddress, [7001]);
      const client = await startProbeClient(lab, a.hostNs, 40000);
      expect((await client.send(`${b.hostAddress}:7000`)).seenAs).toBe(`${a.hostAddress}:40000`);
      expect((await client.send(`${lab.publicAddress}:7001`)).seenAs).toBe(`${a.hostAddress}:40000`);
    });
  });

  it('cone NAT keeps one public port per local port for every destination, even after a stray inbound packet; symmetric NAT does not', async () => {
    await withLab({ homes: [{ name: 'a', nat: 'cone' }, { name: 'b', nat: 'symmetric' }] }, async (lab) => {
      const a = lab.home('a');
      const b = lab.home('b');
      // A packet from the future STUN port to a's mapping-to-be arrives first and is dropped in INPUT,
      // so conntrack does not take that port (without the INPUT rule, the mapping would move).
      const stray = await startProbeClient(lab, lab.publicNs, 3478);
      expect((await stray.send(`${a.wanAddress}:40000`, once)).seenAs).toBeNull();
      // The home's own address is not reachable from outside either (no route to it).
      expect((await stray.send(`${a.hostAddress}:40000`, once)).seenAs).toBeNull();
      await stray.stop();
      await startEcho(lab, lab.publicNs, lab.publicAddress, [3478, 3479]);

      const cone = await startProbeClient(lab, a.hostNs, 40000);
      expect((await cone.send(`${lab.publicAddress}:3478`)).seenAs).toBe(`${a.wanAddress}:40000`);
      expect((await cone.send(`${lab.publicAddress}:3479`)).seenAs).toBe(`${a.wanAddress}:40000`);

      const symmetric = await startProbeClient(lab, b.hostNs, 40000);
      const first = (await symmetric.send(`${lab.publicAddress}:3478`)).seenAs;
      const second = (await symmetric.send(`${lab.publicAddress}:3479`)).seenAs;
      expect([first?.split(':')[0], second?.split(':')[0]]).toEqual([b.wanAddress, b.wanAddress]);
      expect(port(first)).not.toBe(port(second));
    });
  });

  it('a UDP block, a cut link and 100% loss each stop traffic until undone', async () => {
    await withLab({ homes: [{ name: 'a', nat: 'none' }] }, async (lab) => {
      await startEcho(lab, lab.publicNs, lab.publicAddress, [7000]);
      const client = await startProbeClient(lab, lab.home('a').hostNs, 41000);
      const target = `${lab.publicAddress}:7000`;
      const reaches = async (options?: typeof once): Promise<boolean> => (await client.send(target, options)).seenAs !== null;
      expect(await reaches()).toBe(true);

      await lab.setUdpBlocked('a', true);
      expect(await reaches(once)).toBe(false);
      await lab.setUdpBlocked('a', false);
      expect(await reaches()).toBe(true);

      await lab.linkDown('a');
      expect(await reaches(once)).toBe(false);
      await lab.linkUp('a');
      expect(await reaches()).toBe(true);

      await lab.impair('a', 'wan', { lossPct: 100 });
      expect(await reaches(once)).toBe(false);
      await lab.clearImpairment('a', 'wan');
      expect(await reaches()).toBe(true);
      // A rate cap alone still lets a probe through.
      await lab.impair('a', 'wan', { rateKbit: 500 });
      expect(await reaches()).toBe(true);
    });
  });

  it.skipIf(noNetem !== null)(`adds delay in both directions${noNetem ? ` (skipped: ${noNetem})` : ''}`, async () => {
    await withLab({ homes: [{ name: 'a', nat: 'none' }] }, async (lab) => {
      await startEcho(lab, lab.publicNs, lab.publicAddress, [7000]);
      const client = await startProbeClient(lab, lab.home('a').hostNs, 41000);
      await lab.impair('a', 'wan', { delayMs: 60 });
      expect((await client.send(`${lab.publicAddress}:7000`)).rttMs).toBeGreaterThanOrEqual(115);
    });
  });

  it('removes every namespace and process it made, also when the test body throws', async () => {
    let made: string[] = [];
    let pid = 0;
    const failure = withLab({ homes: [{ name: 'a', nat: 'cone' }] }, async (lab) => {
      made = lab.plan.namespaces;
      pid = (await startEcho(lab, lab.publicNs, lab.publicAddress, [7000])).child.pid!;
      throw new Error('the test failed');
    });
    await expect(failure).rejects.toThrow('the test failed');
    expect(made).toHaveLength(4);
    const present = await listNamespaces();
    expect(made.filter((ns) => present.includes(ns))).toEqual([]);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it("sweeps namespaces left by a dead run, and leaves a live run's alone", async () => {
    const dead = spawnSync('true').pid; // a pid that has just exited
    const stale = `nl-${dead}-dead1-pub`;
    const mine = `nl-${process.pid}-live1-pub`;
    await run(['ip', 'netns', 'add', stale]);
    await run(['ip', 'netns', 'add', mine]);
    try {
      expect(await sweepStaleLabs()).toContain(stale);
      const present = await listNamespaces();
      expect(present).not.toContain(stale);
      expect(present).toContain(mine);
    } finally {
      await run(['ip', 'netns', 'del', mine]);
      await run(['ip', 'netns', 'del', stale]).catch(() => undefined);
    }
  });
});
