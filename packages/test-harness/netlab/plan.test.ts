import { describe, expect, it } from 'vitest';
import { clearImpairCommands, impairCommands, linkCommands, makePrefix, parseImpairCounters, planLab, PREFIX_PATTERN, udpBlockCommands, type Argv } from './plan.ts';

const prefix = makePrefix(4242, 'ab12');
const line = (argv: Argv): string => argv.join(' ');
const lines = (argvs: readonly Argv[]): string[] => argvs.map(line);

describe('planLab', () => {
  const plan = planLab({ homes: [{ name: 'a', nat: 'cone' }, { name: 'b', nat: 'symmetric' }, { name: 'c', nat: 'none', blockUdp: true }] }, prefix);
  const setup = lines(plan.setup);

  it('names every namespace with the run prefix, public first', () => {
    expect(plan.namespaces).toEqual(['nl-4242-ab12-pub', 'nl-4242-ab12-sink', 'nl-4242-ab12-r-a', 'nl-4242-ab12-h-a', 'nl-4242-ab12-r-b', 'nl-4242-ab12-h-b', 'nl-4242-ab12-r-c', 'nl-4242-ab12-h-c']);
    for (const ns of plan.namespaces) expect(PREFIX_PATTERN.exec(ns)?.[1]).toBe('4242');
    expect(setup.filter((l) => l.startsWith('ip netns add '))).toHaveLength(8);
  });

  it('gives each home its own documentation-range subnet behind a router on 203.0.113.0/24', () => {
    expect(plan.homes.map((h) => [h.wanAddress, h.lanAddress, h.hostAddress, h.subnet])).toEqual([
      ['203.0.113.11', '198.51.100.1', '198.51.100.2', '198.51.100.0/26'],
      ['203.0.113.12', '198.51.100.65', '198.51.100.66', '198.51.100.64/26'],
      ['203.0.113.13', '198.51.100.129', '198.51.100.130', '198.51.100.128/26'],
    ]);
    expect(plan.publicAddress).toBe('203.0.113.1');
    const fifth = planLab({ homes: ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, nat: 'none' as const })) }, prefix).homes[4]!;
    expect(fifth.subnet).toBe('192.0.2.0/26');
  });

  it('creates veth ends straight inside namespaces, never in the root namespace', () => {
    const veths = setup.filter((l) => l.includes('type veth'));
    expect(veths).toHaveLength(7);
    for (const v of veths) expect(v).toMatch(/^ip link add name \S+ netns nl-4242-ab12-\S+ type veth peer name \S+ netns nl-4242-ab12-\S+$/);
    // Every other command addresses a lab namespace explicitly.
    for (const l of setup.filter((x) => !x.includes('type veth') && !x.startsWith('ip netns add '))) expect(l).toMatch(/^ip (-n|netns exec) nl-4242-ab12-/);
  });

  it('NATs cone homes port-preservingly and symmetric ones with --random-fully, dropping unsolicited inbound in INPUT and FORWARD', () => {
    const nat = (ns: string): string[] => setup.filter((l) => l.startsWith(`ip netns exec ${ns} iptables`) && !l.includes('mangle') && (l.includes('MASQUERADE') || l.includes('-i wan')));
    expect(nat('nl-4242-ab12-r-a')).toEqual([
      'ip netns exec nl-4242-ab12-r-a iptables -w -t nat -A POSTROUTING -o wan -j MASQUERADE',
      'ip netns exec nl-4242-ab12-r-a iptables -w -A FORWARD -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
      'ip netns exec nl-4242-ab12-r-a iptables -w -A FORWARD -i wan -j DROP',
      'ip netns exec nl-4242-ab12-r-a iptables -w -A INPUT -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT',
      'ip netns exec nl-4242-ab12-r-a iptables -w -A INPUT -i wan -j DROP',
    ]);
    expect(nat('nl-4242-ab12-r-b')[0]).toBe('ip netns exec nl-4242-ab12-r-b iptables -w -t nat -A POSTROUTING -o wan -j MASQUERADE --random-fully');
    expect(nat('nl-4242-ab12-r-c')).toEqual([]);
  });

  it('routes the public network to routed homes only, and everything else to a silent sink', () => {
    expect(setup.filter((l) => l.startsWith('ip -n nl-4242-ab12-pub route'))).toEqual([
      'ip -n nl-4242-ab12-pub route add default via 203.0.113.254',
      'ip -n nl-4242-ab12-pub route add 198.51.100.128/26 via 203.0.113.13',
    ]);
    // The sink does not forward (a new namespace's default), so it drops without an ICMP error.
    expect(setup.some((l) => l.includes('nl-4242-ab12-sink') && l.includes('ip_forward'))).toBe(false);
  });

  it('blocks UDP from the start where asked', () => {
    expect(setup).toContain('ip netns exec nl-4242-ab12-r-c iptables -w -A NETLAB_BLOCK -p udp -j DROP');
    expect(setup.filter((l) => l.includes('NETLAB_BLOCK -p udp'))).toHaveLength(1);
  });

  it('refuses bad descriptions', () => {
    expect(() => planLab({ homes: [{ name: 'A', nat: 'none' }] }, prefix)).toThrow(/home name/);
    expect(() => planLab({ homes: [{ name: 'a', nat: 'none' }, { name: 'a', nat: 'cone' }] }, prefix)).toThrow(/duplicate/);
    expect(() => planLab({ homes: Array.from({ length: 9 }, (_, i) => ({ name: `h${i}`, nat: 'none' as const })) }, prefix)).toThrow(/at most 8/);
    expect(() => planLab({ homes: [] }, 'lab')).toThrow(/prefix/);
    expect(() => makePrefix(1, 'UPPER')).toThrow(RangeError);
  });
});

describe('changes to a built lab', () => {
  const plan = planLab({ homes: [{ name: 'a', nat: 'none' }] }, prefix);
  const home = plan.homes[0]!;

  it('cuts the uplink at the public bridge port, the LAN at the router', () => {
    expect(lines(linkCommands(home, plan.publicNs, 'wan', 'down'))).toEqual(['ip -n nl-4242-ab12-pub link set up-a down']);
    expect(lines(linkCommands(home, plan.publicNs, 'lan', 'up'))).toEqual(['ip -n nl-4242-ab12-r-a link set lan up']);
  });

  it('blocks and unblocks UDP by refilling its own chain', () => {
    expect(lines(udpBlockCommands(home, true))).toEqual([
      'ip netns exec nl-4242-ab12-r-a iptables -w -F NETLAB_BLOCK',
      'ip netns exec nl-4242-ab12-r-a iptables -w -A NETLAB_BLOCK -p udp -j DROP',
    ]);
    expect(lines(udpBlockCommands(home, false))).toEqual(['ip netns exec nl-4242-ab12-r-a iptables -w -F NETLAB_BLOCK']);
  });

  it('shapes both ends of a link: tbf for rate, netem for delay, iptables statistic for loss', () => {
    const rateLoss = lines(impairCommands(home, plan.publicNs, 'wan', { rateKbit: 800, lossPct: 5 }));
    expect(rateLoss[0]).toBe('ip netns exec nl-4242-ab12-r-a iptables -w -t mangle -F NETLAB_LOSS_WAN');
    expect(rateLoss.filter((l) => l.includes(' tbf rate 800kbit '))).toEqual([
      'tc -n nl-4242-ab12-r-a qdisc replace dev wan root tbf rate 800kbit burst 4500 latency 200ms',
      'tc -n nl-4242-ab12-pub qdisc replace dev up-a root tbf rate 800kbit burst 4500 latency 200ms',
    ]);
    expect(rateLoss.at(-1)).toBe('ip netns exec nl-4242-ab12-r-a iptables -w -t mangle -A NETLAB_LOSS_WAN -m statistic --mode random --probability 0.0500 -j DROP');
    // The impaired-path scenario's shape: a 32 kbit (4000-byte) bucket, packets wait up to 400 ms.
    expect(lines(impairCommands(home, plan.publicNs, 'wan', { rateKbit: 1000, burstBytes: 4000, queueMs: 400 })).filter((l) => l.includes(' tbf '))).toEqual([
      'tc -n nl-4242-ab12-r-a qdisc replace dev wan root tbf rate 1000kbit burst 4000 latency 400ms',
      'tc -n nl-4242-ab12-pub qdisc replace dev up-a root tbf rate 1000kbit burst 4000 latency 400ms',
    ]);
    const delay = lines(impairCommands(home, plan.publicNs, 'lan', { delayMs: 40 }));
    expect(delay.filter((l) => l.includes('netem'))).toEqual([
      'tc -n nl-4242-ab12-r-a qdisc replace dev lan root netem delay 40ms',
      'tc -n nl-4242-ab12-h-a qdisc replace dev eth0 root netem delay 40ms',
    ]);
    expect(delay.some((l) => l.includes('statistic'))).toBe(false);
    expect(() => impairCommands(home, plan.publicNs, 'wan', { lossPct: 120 })).toThrow(RangeError);
  });

  it("reads an impairment's counters from iptables -v -x and tc -s output", () => {
    const iptablesOut = [
      'Chain NETLAB_LOSS_WAN (2 references)',
      '    pkts      bytes target     prot opt in     out     source               destination',
      '      31     4012 DROP       0    --  *      *       0.0.0.0/0            0.0.0.0/0            statistic mode random probability 0.02999999980',
    ].join('\n');
    const tc = (sent: number, dropped: number): string =>
      `qdisc tbf 8005: root refcnt 2 rate 1Mbit burst 4000b lat 400ms \n Sent 123456 bytes ${sent} pkt (dropped ${dropped}, overlimits 7 requeues 0) \n backlog 0b 0p requeues 0\n`;
    expect(parseImpairCounters(iptablesOut, [tc(500, 2), tc(480, 0)])).toEqual({ lossDrops: 31, queueDrops: 2, sentPackets: 980, sentBytes: 246912 });
    expect(parseImpairCounters('Chain NETLAB_LOSS_WAN (2 references)\n', [])).toEqual({ lossDrops: 0, queueDrops: 0, sentPackets: 0, sentBytes: 0 });
  });

  it('clears an impairment back to the default qdisc and no loss rule', () => {
    expect(lines(clearImpairCommands(home, plan.publicNs, 'wan'))).toEqual([
      'ip netns exec nl-4242-ab12-r-a iptables -w -t mangle -F NETLAB_LOSS_WAN',
      'ip netns exec nl-4242-ab12-r-a sh -c tc qdisc del dev wan root 2>/dev/null; true',
      'ip netns exec nl-4242-ab12-pub sh -c tc qdisc del dev up-a root 2>/dev/null; true',
    ]);
  });
});
