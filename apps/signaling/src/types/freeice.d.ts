// freeice ships no types; this is the part of its API the server uses.
declare module 'freeice' {
  interface FreeIceServer {
    url?: string;
    urls?: string | string[];
    username?: string;
    credential?: string;
  }
  function freeice(options?: { stunCount?: number; turnCount?: number }): FreeIceServer[];
  export default freeice;
}
