/** Ended ids remembered per room, at most: the oldest go first (a room with that much churn rarely matters). */
const MAX_ENDED_PER_ROOM = 512;

/**
 * What this node believes about where the members of its rooms are: peer id -> binding
 * ("<node>|<socket id>", as in Redis), learned from its own route-script replies, and the ids
 * whose membership ended (told by the node that ended it). It is a hint, never the truth: a hit
 * sends a signal straight to the named node, which checks it against its own sockets and hands
 * a miss to the route script (fastRelay.ts). Ended ids are final: a peer id never comes back
 * after its membership ended, so a learned binding never overrides one.
 */
export class BindingCache {
  readonly #rooms = new Map<string, { bindings: Map<string, string>; ended: Set<string> }>();

  /** The binding believed for `id` in `room`; undefined when unknown or ended. */
  binding(room: string, id: string): string | undefined {
    return this.#rooms.get(room)?.bindings.get(id);
  }

  hasEnded(room: string, id: string): boolean {
    return this.#rooms.get(room)?.ended.has(id) ?? false;
  }

  learn(room: string, id: string, binding: string): void {
    const entry = this.#entry(room);
    if (!entry.ended.has(id)) entry.bindings.set(id, binding);
  }

  /** The binding turned out wrong (moved, or its node reads nothing): ask Redis next time. */
  forget(room: string, id: string): void {
    this.#rooms.get(room)?.bindings.delete(id);
  }

  ended(room: string, id: string): void {
    const entry = this.#entry(room);
    entry.bindings.delete(id);
    entry.ended.add(id);
    if (entry.ended.size > MAX_ENDED_PER_ROOM) entry.ended.delete(entry.ended.values().next().value!);
  }

  /** Drops the rooms that no longer have a member on this node. */
  keepOnly(rooms: ReadonlySet<string>): void {
    for (const room of this.#rooms.keys()) if (!rooms.has(room)) this.#rooms.delete(room);
  }

  get size(): number {
    return this.#rooms.size;
  }

  #entry(room: string): { bindings: Map<string, string>; ended: Set<string> } {
    let entry = this.#rooms.get(room);
    if (!entry) this.#rooms.set(room, (entry = { bindings: new Map(), ended: new Set() }));
    return entry;
  }
}

/** The node of a binding "<node>|<socket id>". */
export function nodeOf(binding: string): string {
  return binding.slice(0, binding.indexOf('|'));
}
