// The NAT lab as data: a small description becomes the namespaces, addresses and the exact
// commands (argv arrays) that build it, and the commands of every later change (link down/up,
// impairments, UDP block). Pure, so it is unit-tested without root; lab.ts only runs them.

export type NatKind = 'cone' | 'symmetric' | 'none';

export interface HomeSpec {
  /** Lower-case letters and digits, at most 8 (it becomes part of interface names). */
  name: string;
  /** 'cone': port-preserving MASQUERADE; 'symmetric': MASQUERADE --random-fully; 'none': routed. */
  nat: NatKind;
  /** Drop all forwarded UDP at the router from the start (setUdpBlocked changes it later). */
  blockUdp?: boolean;
}

export interface LabSpec {
  homes: HomeSpec[];
}

export type Argv = readonly string[];
export type LinkName = 'wan' | 'lan';

export interface HomePlan {
  name: string;
  nat: NatKind;
  routerNs: string;
  hostNs: string;
  /** The router's address on the public network (what a NAT maps to). */
  wanAddress: string;
  /** The router's address inside the home (the host's gateway). */
  lanAddress: string;
  /** The home host's own address. */
  hostAddress: string;
  subnet: string;
  /** The home's uplink port on the public bridge (in the public namespace). */
  uplinkPort: string;
}

export interface LabPlan {
  prefix: string;
  publicNs: string;
  /** The public namespace's own address: servers (signaling, STUN/TURN) listen here. */
  publicAddress: string;
  homes: HomePlan[];
  /** Every namespace, in creation order. */
  namespaces: string[];
  setup: Argv[];
}

/** Names of the lab's objects: `nl-<pid>-<random>-…`, so a sweep can tell a live run's from a stale one's. */
export const PREFIX_PATTERN = /^nl-(\d+)-([0-9a-z]+)-/;

export function makePrefix(pid: number, random: string): string {
  if (!/^[0-9a-z]{1,8}$/.test(random)) throw new RangeError('random part: 1-8 of [0-9a-z]');
  return `nl-${pid}-${random}`;
}

export const PUBLIC_ADDRESS = '203.0.113.1';
/** The rest of the internet: a host on the public bridge that silently drops what it is sent. */
export const SINK_ADDRESS = '203.0.113.254';
const PUBLIC_PREFIX_LEN = 24;
/** The iptables chain (filter FORWARD) that setUdpBlocked fills and flushes. */
export const BLOCK_CHAIN = 'NETLAB_BLOCK';
/** The iptables chain (mangle) holding a link's random-loss rule, hooked in both directions. */
export const lossChain = (link: LinkName): string => `NETLAB_LOSS_${link.toUpperCase()}`;

const MAX_HOMES = 8;

/** Home i's /26: four from 198.51.100.0/24, then four from 192.0.2.0/24 (both documentation ranges). */
function homeSubnet(index: number): { base: string; net: number } {
  return index < 4 ? { base: '198.51.100', net: index * 64 } : { base: '192.0.2', net: (index - 4) * 64 };
}

const ipIn = (ns: string, ...args: string[]): Argv => ['ip', '-n', ns, ...args];
const inNs = (ns: string, ...args: string[]): Argv => ['ip', 'netns', 'exec', ns, ...args];
const iptables = (ns: string, ...args: string[]): Argv => inNs(ns, 'iptables', '-w', ...args);
/** /proc/sys/net is per network namespace; writing it needs no sysctl binary. */
const sysctl = (ns: string, key: string, value: string): Argv => inNs(ns, 'sh', '-c', `echo ${value} > /proc/sys/${key.replaceAll('.', '/')}`);

export function planLab(spec: LabSpec, prefix: string): LabPlan {
  if (!PREFIX_PATTERN.test(`${prefix}-`)) throw new RangeError(`prefix must look like nl-<pid>-<random>, got "${prefix}"`);
  if (spec.homes.length > MAX_HOMES) throw new RangeError(`at most ${MAX_HOMES} homes`);
  const seen = new Set<string>();
  for (const home of spec.homes) {
    if (!/^[a-z][a-z0-9]{0,7}$/.test(home.name)) throw new RangeError(`home name must be 1-8 of [a-z0-9] starting with a letter, got "${home.name}"`);
    if (seen.has(home.name)) throw new RangeError(`duplicate home name "${home.name}"`);
    seen.add(home.name);
  }

  const publicNs = `${prefix}-pub`;
  const homes: HomePlan[] = spec.homes.map((home, i) => {
    const { base, net } = homeSubnet(i);
    return {
      name: home.name,
      nat: home.nat,
      routerNs: `${prefix}-r-${home.name}`,
      hostNs: `${prefix}-h-${home.name}`,
      wanAddress: `203.0.113.${11 + i}`,
      lanAddress: `${base}.${net + 1}`,
      hostAddress: `${base}.${net + 2}`,
      subnet: `${base}.${net}/26`,
      uplinkPort: `up-${home.name}`,
    };
  });
  const sinkNs = `${prefix}-sink`;
  const namespaces = [publicNs, sinkNs, ...homes.flatMap((h) => [h.routerNs, h.hostNs])];

  const setup: Argv[] = [];
  for (const ns of namespaces) {
    setup.push(['ip', 'netns', 'add', ns], ipIn(ns, 'link', 'set', 'lo', 'up'));
    // IPv4 only: fewer candidates, and every address is one the lab chose.
    setup.push(sysctl(ns, 'net.ipv6.conf.all.disable_ipv6', '1'), sysctl(ns, 'net.ipv6.conf.default.disable_ipv6', '1'));
  }
  // The public network: a bridge in its own namespace, which also routes to the routed homes.
  setup.push(
    ipIn(publicNs, 'link', 'add', 'br0', 'type', 'bridge'),
    ipIn(publicNs, 'addr', 'add', `${PUBLIC_ADDRESS}/${PUBLIC_PREFIX_LEN}`, 'dev', 'br0'),
    ipIn(publicNs, 'link', 'set', 'br0', 'up'),
    sysctl(publicNs, 'net.ipv4.ip_forward', '1'),
    // Forwarding between two routers on the same bridge would otherwise send ICMP redirects.
    sysctl(publicNs, 'net.ipv4.conf.all.send_redirects', '0'),
    sysctl(publicNs, 'net.ipv4.conf.br0.send_redirects', '0'),
    // A default route to a sink that does not forward: packets to addresses nobody routes (a NATed
    // peer's host candidate) vanish silently, as on the internet. Without it, sending there fails
    // with ENETUNREACH, and coturn closes the whole TURN allocation on that error.
    ['ip', 'link', 'add', 'name', 'eth0', 'netns', sinkNs, 'type', 'veth', 'peer', 'name', 'up-sink', 'netns', publicNs],
    ipIn(publicNs, 'link', 'set', 'up-sink', 'master', 'br0'),
    ipIn(publicNs, 'link', 'set', 'up-sink', 'up'),
    ipIn(sinkNs, 'addr', 'add', `${SINK_ADDRESS}/${PUBLIC_PREFIX_LEN}`, 'dev', 'eth0'),
    ipIn(sinkNs, 'link', 'set', 'eth0', 'up'),
    ipIn(publicNs, 'route', 'add', 'default', 'via', SINK_ADDRESS),
  );
  for (const [i, h] of homes.entries()) {
    const spec_ = spec.homes[i]!;
    // Veth ends are created straight in their namespaces: nothing ever appears in the root namespace.
    setup.push(
      ['ip', 'link', 'add', 'name', 'wan', 'netns', h.routerNs, 'type', 'veth', 'peer', 'name', h.uplinkPort, 'netns', publicNs],
      ipIn(publicNs, 'link', 'set', h.uplinkPort, 'master', 'br0'),
      ipIn(publicNs, 'link', 'set', h.uplinkPort, 'up'),
      ipIn(h.routerNs, 'addr', 'add', `${h.wanAddress}/${PUBLIC_PREFIX_LEN}`, 'dev', 'wan'),
      ipIn(h.routerNs, 'link', 'set', 'wan', 'up'),
      ipIn(h.routerNs, 'route', 'add', 'default', 'via', PUBLIC_ADDRESS),
      ['ip', 'link', 'add', 'name', 'lan', 'netns', h.routerNs, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.hostNs],
      ipIn(h.routerNs, 'addr', 'add', `${h.lanAddress}/26`, 'dev', 'lan'),
      ipIn(h.routerNs, 'link', 'set', 'lan', 'up'),
      ipIn(h.hostNs, 'addr', 'add', `${h.hostAddress}/26`, 'dev', 'eth0'),
      ipIn(h.hostNs, 'link', 'set', 'eth0', 'up'),
      ipIn(h.hostNs, 'route', 'add', 'default', 'via', h.lanAddress),
      sysctl(h.routerNs, 'net.ipv4.ip_forward', '1'),
      iptables(h.routerNs, '-N', BLOCK_CHAIN),
      iptables(h.routerNs, '-A', 'FORWARD', '-j', BLOCK_CHAIN),
    );
    for (const link of ['wan', 'lan'] as const) {
      setup.push(
        iptables(h.routerNs, '-t', 'mangle', '-N', lossChain(link)),
        iptables(h.routerNs, '-t', 'mangle', '-A', 'POSTROUTING', '-o', link, '-j', lossChain(link)),
        iptables(h.routerNs, '-t', 'mangle', '-A', 'PREROUTING', '-i', link, '-j', lossChain(link)),
      );
    }
    if (spec_.blockUdp) setup.push(...udpBlockCommands(h, true));
    if (h.nat === 'none') {
      // Routed: the internet knows the home's subnet, so the host's own address is reachable.
      setup.push(ipIn(publicNs, 'route', 'add', h.subnet, 'via', h.wanAddress));
    } else {
      setup.push(iptables(h.routerNs, '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE', ...(h.nat === 'symmetric' ? ['--random-fully'] : [])));
      // Unsolicited inbound is dropped in INPUT as well as FORWARD: a stray packet that reached
      // INPUT would be recorded by conntrack and take the mapping's port (see WEBRTC-NOTES), so a
      // port-preserving NAT would turn symmetric in effect.
      for (const chain of ['FORWARD', 'INPUT']) {
        setup.push(
          iptables(h.routerNs, '-A', chain, '-i', 'wan', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'),
          iptables(h.routerNs, '-A', chain, '-i', 'wan', '-j', 'DROP'),
        );
      }
    }
  }
  return { prefix, publicNs, publicAddress: PUBLIC_ADDRESS, homes, namespaces, setup };
}

/**
 * Where a home's link can be cut: 'wan' at the public bridge's port (the cable to the internet;
 * the router's end only loses carrier, so its routes survive), 'lan' at the router's LAN port.
 */
export function linkCommands(home: HomePlan, publicNs: string, link: LinkName, state: 'up' | 'down'): Argv[] {
  return link === 'wan' ? [ipIn(publicNs, 'link', 'set', home.uplinkPort, state)] : [ipIn(home.routerNs, 'link', 'set', 'lan', state)];
}

/** Drops (or stops dropping) every UDP packet the router forwards; TCP (signaling) still passes. */
export function udpBlockCommands(home: HomePlan, blocked: boolean): Argv[] {
  const flush = iptables(home.routerNs, '-F', BLOCK_CHAIN);
  return blocked ? [flush, iptables(home.routerNs, '-A', BLOCK_CHAIN, '-p', 'udp', '-j', 'DROP')] : [flush];
}

/**
 * Breaks the home host's established TCP connections at once (`ss -K`), as when a device's
 * network goes away: without it, a 10 s cut leaves the signaling socket waiting in retransmits.
 */
export function killTcpCommands(home: HomePlan): Argv[] {
  return [inNs(home.hostNs, 'ss', '-t', '-K', 'state', 'established')];
}

export interface Impairment {
  /** One-way delay added in each direction (needs the kernel's netem qdisc). */
  delayMs?: number;
  /** Random loss in each direction, in percent. */
  lossPct?: number;
  /** Bandwidth cap in each direction, in kbit/s. */
  rateKbit?: number;
  /** tbf's bucket, in bytes (default: a few full-size packets per 10 ms tick, at least 4500). */
  burstBytes?: number;
  /** tbf's queue bound: how long a packet may wait before tbf drops it (default 200 ms). */
  queueMs?: number;
}

/** Devices at both ends of a link, each shaping its egress: [namespace, device]. */
function linkEnds(home: HomePlan, publicNs: string, link: LinkName): Array<[string, string]> {
  return link === 'wan'
    ? [[home.routerNs, 'wan'], [publicNs, home.uplinkPort]]
    : [[home.routerNs, 'lan'], [home.hostNs, 'eth0']];
}

/**
 * Commands that replace a link's impairment. Delay and rate are qdiscs on each end's egress
 * (netem when delay is asked, else tbf, which every kernel has: this machine's has no netem).
 * Loss is iptables' `statistic` match in the router, which needs no netem either.
 */
export function impairCommands(home: HomePlan, publicNs: string, link: LinkName, impairment: Impairment): Argv[] {
  const { delayMs = 0, lossPct = 0, rateKbit = 0, queueMs = 200 } = impairment;
  if (!(delayMs >= 0 && lossPct >= 0 && lossPct <= 100 && rateKbit >= 0 && queueMs > 0 && (impairment.burstBytes ?? 1) > 0)) {
    throw new RangeError('impairment values out of range');
  }
  const commands: Argv[] = [iptables(home.routerNs, '-t', 'mangle', '-F', lossChain(link))];
  for (const [ns, dev] of linkEnds(home, publicNs, link)) {
    if (delayMs > 0) {
      commands.push(['tc', '-n', ns, 'qdisc', 'replace', 'dev', dev, 'root', 'netem', 'delay', `${delayMs}ms`, ...(rateKbit > 0 ? ['rate', `${rateKbit}kbit`] : [])]);
    } else if (rateKbit > 0) {
      // burst: at least a few full-size packets per timer tick; latency bounds the queue.
      const burst = impairment.burstBytes ?? Math.max(4500, Math.ceil((rateKbit * 1000) / 8 / 100));
      commands.push(['tc', '-n', ns, 'qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', `${rateKbit}kbit`, 'burst', `${burst}`, 'latency', `${queueMs}ms`]);
    } else {
      commands.push(removeQdisc(ns, dev));
    }
  }
  if (lossPct > 0) {
    const p = (lossPct / 100).toFixed(4);
    commands.push(iptables(home.routerNs, '-t', 'mangle', '-A', lossChain(link), '-m', 'statistic', '--mode', 'random', '--probability', p, '-j', 'DROP'));
  }
  return commands;
}

/** Commands whose output counts what an impairment did: the loss rule's packets, then each end's qdisc stats. */
export function impairCounterCommands(home: HomePlan, publicNs: string, link: LinkName): Argv[] {
  return [
    iptables(home.routerNs, '-t', 'mangle', '-L', lossChain(link), '-v', '-n', '-x'),
    ...linkEnds(home, publicNs, link).map(([ns, dev]): Argv => ['tc', '-s', '-n', ns, 'qdisc', 'show', 'dev', dev]),
  ];
}

export interface ImpairCounters {
  /** Packets the loss rule dropped (both directions). */
  lossDrops: number;
  /** Packets the qdiscs dropped (a full tbf queue), both ends. */
  queueDrops: number;
  /** Packets and bytes the qdiscs sent, both ends. */
  sentPackets: number;
  sentBytes: number;
}

/** Parses `iptables -L -v -x` of the loss chain and `tc -s qdisc show` of each end. */
export function parseImpairCounters(iptablesOut: string, tcOuts: string[]): ImpairCounters {
  const rule = iptablesOut.split('\n').find((line) => /\sDROP\s/.test(line));
  const lossDrops = rule ? Number(rule.trim().split(/\s+/)[0]) : 0;
  const total = (pattern: RegExp): number => tcOuts.reduce((sum, out) => sum + [...out.matchAll(pattern)].reduce((s, m) => s + Number(m[1]), 0), 0);
  return { lossDrops, queueDrops: total(/dropped (\d+)/g), sentPackets: total(/Sent \d+ bytes (\d+) pkt/g), sentBytes: total(/Sent (\d+) bytes/g) };
}

/** Back to a plain link: each end's default qdisc, no loss rule. */
export function clearImpairCommands(home: HomePlan, publicNs: string, link: LinkName): Argv[] {
  return [iptables(home.routerNs, '-t', 'mangle', '-F', lossChain(link)), ...linkEnds(home, publicNs, link).map(([ns, dev]) => removeQdisc(ns, dev))];
}

/** `tc qdisc del` fails when only the default is there; either way the default is what remains. */
const removeQdisc = (ns: string, dev: string): Argv => inNs(ns, 'sh', '-c', `tc qdisc del dev ${dev} root 2>/dev/null; true`);
