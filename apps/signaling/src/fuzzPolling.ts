// Generated HTTP requests at engine.io's polling endpoint, for the fuzz test (fuzz.int.test.ts).
import fc from 'fast-check';
import { pollingRequest, type PollingRequest } from './fuzzArbitraries.ts';
import { counts, pacer, SEED, target } from './fuzzTraffic.ts';

/** A real polling handshake's session id (the server's engine.io session), or '' if refused. */
async function pollingSid(): Promise<string> {
  const response = await fetch(`${target.url}/socket.io/?EIO=4&transport=polling`, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  return /"sid":"([^"]+)"/.exec(text)?.[1] ?? '';
}

/**
 * Generated HTTP requests at engine.io's polling endpoint (which the websocket workers never use):
 * every one must be answered, none may hang (an unanswered invalid POST is CVE-2026-59725).
 */
export async function httpWorker(index: number, runs: number): Promise<void> {
  const pace = pacer();
  let sid = await pollingSid();
  await fc.assert(
    fc.asyncProperty(pollingRequest, async (r: PollingRequest) => {
      await pace();
      const query = new URLSearchParams({ ...r.query, ...(r.realSid && sid ? { sid } : {}) });
      const withBody = r.method === 'POST' || r.method === 'PUT';
      counts.http++;
      let status: number;
      try {
        const response = await fetch(`${target.url}/socket.io/?${query}`, {
          method: r.method,
          headers: r.contentType ? { 'content-type': r.contentType } : {},
          body: withBody ? r.body ?? '' : undefined,
          signal: AbortSignal.timeout(10_000),
        });
        status = response.status;
        // A GET on a live session long-polls until the ping; the status is the answer that counts.
        await response.body?.cancel();
      } catch (error) {
        throw new Error(`polling ${r.method} ${query}: no answer (${(error as Error).name})`);
      }
      counts.httpStatus.set(status, (counts.httpStatus.get(status) ?? 0) + 1);
      // The session may have been closed by what was just sent; get a fresh one.
      if (r.realSid && status !== 200) sid = await pollingSid();
      if (status >= 500) throw new Error(`polling ${r.method} ${query}: status ${status}`);
      return true;
    }),
    { numRuns: runs, seed: SEED + 2000 + index, endOnFailure: true },
  );
}
