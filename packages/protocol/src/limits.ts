/** Size limits of the wire contract. The server enforces them; clients may check early. */
export const LIMITS = {
  /** Room names: 1-64 characters of [A-Za-z0-9_-]. */
  roomMaxLength: 64,
  /** Display names: 1-64 characters after trimming. */
  nameMaxLength: 64,
  /** Peer ids are opaque server-assigned strings; this bounds what a client may send as a target. */
  peerIdMaxLength: 64,
  /** An SDP body (offer or answer). */
  sdpMaxLength: 64 * 1024,
  /** One ICE candidate line. */
  candidateMaxLength: 1024,
  /** sdpMid and usernameFragment of a candidate. */
  candidateFieldMaxLength: 256,
  /** The largest m-line index a candidate may name (we negotiate three m-lines). */
  maxMLineIndex: 63,
  /** A resume credential (revision 2). */
  resumeTokenMaxLength: 256,
  /** Capabilities one client may announce (revision 2). */
  maxCapabilities: 16,
  /** One chat message's text, in UTF-8 bytes (data channel, revision 2). */
  chatMaxBytes: 4096,
  /** Chat messages a client keeps and hands to newcomers. */
  chatHistory: 50,
  /** A join token (a JWT; compact serialisation). */
  joinTokenMaxLength: 4096,
  /** A room passcode, in characters. */
  passcodeMaxLength: 64,
  /** Default number of participants in one room (the server's MAX_PEERS_PER_ROOM). */
  defaultMaxPeersPerRoom: 8,
} as const;
