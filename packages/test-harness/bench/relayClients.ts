/**
 * The client side of P3: S signaling-only sockets in rooms of 4 that send candidate-sized
 * messages round-robin to their roommates and time their delivery. The send time (µs) and the
 * sender's index ride inside the candidate line (foundation and port fields), so the line keeps
 * a real candidate's shape and size (~100 characters) and needs no lookup table.
 * With several server URLs (nodes sharing rooms through Redis), a room's members are split evenly
 * across them and each sends only to roommates on another node, so every message crosses nodes.
 */
import { SignalingParticipant } from '../src/signaling-only/SignalingParticipant.ts';
import type { SignalMessage } from '@meshmeet/protocol';

export interface Delivery {
  sender: number;
  latencyMs: number;
  sentAt: number;
}

export class RelayClients {
  readonly participants: SignalingParticipant[] = [];
  /** Roommates' peer ids per participant index. */
  private readonly roommates: string[][] = [];
  private readonly next: number[] = [];
  onDelivery: ((d: Delivery) => void) | null = null;

  private constructor(readonly urls: string[]) {}

  static async create(url: string | string[], sockets: number, roomPrefix: string): Promise<RelayClients> {
    const urls = typeof url === 'string' ? [url] : url;
    const clients = new RelayClients(urls);
    // Member k of a room goes through node floor(k * nodes / 4): with two nodes, 0-1 on a, 2-3 on b.
    const nodeOf = (k: number): number => Math.floor((k * urls.length) / 4);
    const rooms = Math.ceil(sockets / 4);
    for (let r = 0; r < rooms; r++) {
      const members = Array.from({ length: 4 }, (_, i) => new SignalingParticipant({ url: urls[nodeOf(i)]!, room: `${roomPrefix}-${r}`, name: `relay ${r}-${i}`, negotiate: false }));
      clients.participants.push(...members);
    }
    // Join in batches: a burst of hundreds of handshakes at once only measures the accept queue.
    for (let i = 0; i < clients.participants.length; i += 50) await Promise.all(clients.participants.slice(i, i + 50).map((p) => p.join(30_000)));
    clients.participants.forEach((p, index) => {
      const base = index - (index % 4);
      const own = nodeOf(index % 4);
      clients.roommates[index] = [0, 1, 2, 3].filter((k) => base + k !== index && (urls.length === 1 || nodeOf(k) !== own)).map((k) => clients.participants[base + k]!.selfId!);
      clients.next[index] = 0;
      p.onRawSignal((message) => clients.received(message));
    });
    return clients;
  }

  get size(): number {
    return this.participants.length;
  }

  /** Sends one message from participant `index` to its next roommate. */
  send(index: number): void {
    const targets = this.roommates[index]!;
    const to = targets[this.next[index]! % targets.length]!;
    this.next[index]! += 1;
    const micros = Math.round(performance.now() * 1000);
    this.participants[index]!.sendCandidate(to, `candidate:${micros} 1 udp 2122260223 192.0.2.2 ${10_000 + index} typ host generation 0 ufrag rly0 network-id 1`);
  }

  close(): void {
    for (const p of this.participants) p.close();
  }

  private received(message: SignalMessage): void {
    const line = message.candidate?.candidate;
    if (!line) return;
    const fields = line.split(' ');
    const sentAt = Number((fields[0] ?? '').slice('candidate:'.length)) / 1000;
    const sender = Number(fields[5]) - 10_000;
    this.onDelivery?.({ sender, sentAt, latencyMs: performance.now() - sentAt });
  }
}
