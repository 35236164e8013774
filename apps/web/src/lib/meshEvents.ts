import type { MeshEvents, RemoteParticipant } from '@meshmeet/rtc-core';

/**
 * Mesh events of the resume contract (issue 8) that rtc-core on this branch does not declare yet:
 * a participant whose media stopped arriving, and a new own id when a resume was refused.
 * Once rtc-core's MeshEvents has them, `AppMeshEvents` is just `MeshEvents` and this file can go.
 */
export interface ResumeEvents {
  interruptionChanged: (e: { participant: RemoteParticipant; interrupted: boolean }) => void;
  selfIdChanged: (id: string) => void;
}

export type AppMeshEvents = Omit<ResumeEvents, keyof MeshEvents> & MeshEvents;

/** The part of a Mesh this needs: its typed `on`, which returns an unsubscribe function. */
interface Subscribable {
  on<E extends keyof MeshEvents>(event: E, listener: MeshEvents[E]): () => void;
}

/**
 * Subscribes to any event of `AppMeshEvents`. rtc-core's emitter keeps listeners by name and
 * never checks it, so an event the engine does not emit yet is a harmless subscription.
 */
export function onMeshEvent<E extends keyof AppMeshEvents>(mesh: Subscribable, event: E, listener: AppMeshEvents[E]): () => void {
  const on = mesh.on as unknown as (event: E, listener: AppMeshEvents[E]) => () => void;
  return on.call(mesh, event, listener);
}
