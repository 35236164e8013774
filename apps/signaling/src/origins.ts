const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a browser page from `origin` may open a socket. Requests without an Origin header come
 * from non-browser clients (bots, tools), which could forge any origin anyway, so they pass.
 * Same origin always passes; `allowed` null means "and any localhost port", otherwise the list
 * (where "*" admits everyone).
 */
export function isOriginAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[] | null): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (host !== undefined && url.host === host) return true;
  if (allowed === null) return LOCAL_HOSTS.has(url.hostname);
  return allowed.includes('*') || allowed.some((entry) => entry !== '*' && new URL(entry).origin === url.origin);
}
