import { readdirSync } from 'node:fs';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The standard process_* and nodejs_* metrics, computed only when /metrics is scraped.
 * prom-client's collectDefaultMetrics() also keeps a GC observer (a JS callback per collection)
 * and an event-loop delay monitor running all the time, work a relay that handles thousands of
 * small messages a second does not need. In the P3 benchmark the difference stayed within its
 * run-to-run noise (about ±0.15 in the CPU ratio), so this is cheaper by construction, not by a
 * measured margin; the GC-duration histogram and event-loop percentiles are what it gives up.
 */
export function registerProcessMetrics(registry: Registry): void {
  const registers = [registry];
  const startTime = Math.round((Date.now() - performance.now()) / 1000);
  const cpu = (pick: (u: NodeJS.CpuUsage) => number) =>
    function (this: Counter) {
      this.reset();
      this.inc(pick(process.cpuUsage()) / 1e6);
    };
  new Counter({ name: 'process_cpu_user_seconds_total', help: 'User CPU time spent in seconds', registers, collect: cpu((u) => u.user) });
  new Counter({ name: 'process_cpu_system_seconds_total', help: 'System CPU time spent in seconds', registers, collect: cpu((u) => u.system) });
  new Counter({ name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds', registers, collect: cpu((u) => u.user + u.system) });
  new Gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds', registers, collect() { this.set(startTime); } });
  new Gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes', registers, collect() { this.set(process.memoryUsage.rss()); } });
  new Gauge({
    name: 'process_open_fds',
    help: 'Number of open file descriptors',
    registers,
    collect() {
      try {
        this.set(readdirSync('/proc/self/fd').length);
      } catch {
        // Not Linux: leave the metric without a value rather than report a wrong one.
      }
    },
  });
  const heap = (name: string, help: string, pick: (m: NodeJS.MemoryUsage) => number) =>
    new Gauge({ name, help, registers, collect() { this.set(pick(process.memoryUsage())); } });
  heap('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes', (m) => m.heapTotal);
  heap('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes', (m) => m.heapUsed);
  heap('nodejs_external_memory_bytes', 'Node.js external memory size in bytes', (m) => m.external);
  new Gauge({
    name: 'nodejs_eventloop_lag_seconds',
    help: 'Lag of the event loop in seconds, measured at scrape time',
    registers,
    async collect() {
      const start = performance.now();
      await new Promise((resolve) => setImmediate(resolve));
      this.set((performance.now() - start) / 1000);
    },
  });
}
