// @meshmeet/protocol/rooms: the room, membership and relay rules as pure code, shared by the
// signaling server and in-process test servers. No zod here, so client bundles never pull it in.
export { RoomModel, type RoomModelOptions, type JoinInput, type JoinDecision, type ResumeClaim, type Route, type Ended, type JoinRefusal, type ModerationRefusal, type RoomStateView } from './RoomModel.ts';
export { admit, nextHost, type RoomGate, type GateRefusal } from './gate.ts';
export { toPeer, isPresent, type Membership } from './membership.ts';
export { Tombstones } from './tombstones.ts';
export { readJoin, type ReadJoin } from './joinInput.ts';
export { issueCredential, checkCredential, CREDENTIAL_REVISION, type CredentialSigner, type CredentialCheck } from './credential.ts';
