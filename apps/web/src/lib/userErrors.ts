/** What the app tells people about a failure, and what they can do about it. */
export interface UserError {
  code: string;
  title: string;
  detail: string;
  /** The button that fixes it, when there is one. */
  action: 'retry' | 'new-room' | 'rejoin' | null;
}

const MESSAGES: Record<string, Omit<UserError, 'code'>> = {
  INSECURE_CONTEXT: {
    title: 'Camera and microphone need HTTPS',
    detail: 'Browsers allow camera, microphone and screen sharing only on https:// pages or on localhost. Open this page over https to use them.',
    action: null,
  },
  ROOM_FULL: {
    title: 'This room is full',
    detail: 'Every seat in this call is taken. Wait for someone to leave, or start a new room and share its link.',
    action: 'new-room',
  },
  SIGNALING_UNAVAILABLE: {
    title: 'Cannot reach the meshmeet server',
    detail: 'Check your network connection; if it works, the server may be down. We will try again when you press Retry.',
    action: 'retry',
  },
  PERMISSION_DENIED: {
    title: 'Camera and microphone are blocked',
    detail: 'Allow them in your browser’s site settings (the icon left of the address bar). You can still join to watch and listen.',
    action: null,
  },
  DEVICE_NOT_FOUND: {
    title: 'No camera or microphone found',
    detail: 'Plug one in and choose it below, or join to watch and listen.',
    action: null,
  },
  MEDIA_UNAVAILABLE: {
    title: 'Camera or microphone is busy',
    detail: 'Another app may be using it. Close that app and try again, or join without it.',
    action: null,
  },
  WEBRTC_UNAVAILABLE: {
    title: 'This browser cannot make video calls',
    detail: 'meshmeet needs WebRTC. Try a current version of Chrome, Edge, Firefox or Safari.',
    action: null,
  },
  INVALID_MESSAGE: {
    title: 'That name or room is not valid',
    detail: 'Names may be up to 64 characters; room names use letters, digits, “-” and “_”.',
    action: null,
  },
  RATE_LIMITED: {
    title: 'Too many attempts',
    // Also what a tab over the server's per-address socket limit gets: waiting alone may not help.
    detail: 'The server limits the connections and joins from one network. Close meshmeet tabs you do not need, wait a few seconds, then try again.',
    action: 'retry',
  },
  SIGNALING_LOST: {
    title: 'Lost the connection to the server',
    detail: 'The call could not be restored. Rejoin to carry on.',
    action: 'rejoin',
  },
  UNAUTHORIZED: {
    title: 'This link does not let you in',
    detail: 'The server lets in only people with a valid invitation link, and this one is missing, expired or for another room. Ask whoever invited you for a new link.',
    action: null,
  },
  PASSCODE_REQUIRED: {
    title: 'This room has a passcode',
    detail: 'Enter the passcode the host gave you, then join.',
    action: null,
  },
  PASSCODE_WRONG: {
    title: 'That passcode is not right',
    detail: 'Check it with the host and try again.',
    action: null,
  },
  ROOM_LOCKED: {
    title: 'The host locked this room',
    detail: 'Nobody new can join right now. Ask the host to unlock it, then try again.',
    action: 'retry',
  },
  FORBIDDEN: {
    title: 'Only the host can do that',
    detail: 'The host role may have passed to someone else.',
    action: null,
  },
  UNAVAILABLE: {
    title: 'The meshmeet server is busy for a moment',
    detail: 'It cannot reach its room store right now. Calls already running go on; press Retry in a few seconds.',
    action: 'retry',
  },
  ALREADY_JOINED: {
    title: 'Already in a call',
    detail: 'This tab is already in a call. Leave it first.',
    action: null,
  },
};

const FALLBACK: Omit<UserError, 'code'> = {
  title: 'Something went wrong',
  detail: 'The call could not be set up. Try again; if it keeps failing, reload the page.',
  action: 'retry',
};

/** The message for an error code (rtc-core's MeshError codes and the server's codes). */
export function describeError(code: string, caught?: unknown): UserError {
  const known = MESSAGES[code];
  if (known) return { code, ...known };
  // A code this app does not know (a newer server): the server's own message says what happened.
  const message = code !== 'INTERNAL' && caught instanceof Error && caught.message ? caught.message : null;
  return { code, ...FALLBACK, ...(message ? { detail: message } : {}) };
}

/** The code of anything thrown: MeshError-like objects carry one; everything else is INTERNAL. */
export function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return 'INTERNAL';
}
