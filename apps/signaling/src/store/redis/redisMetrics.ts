import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What /metrics shows of this node's Redis: reachable or not, round trips, failures. */
export class RedisMetrics {
  errors = 0;
  readonly #rtt: Histogram<'op'>;

  constructor(registry: Registry, up: () => boolean, nodeId: string) {
    const registers = [registry];
    const errors = () => this.errors;
    new Gauge({
      name: 'meshmeet_redis_up',
      help: 'Whether this node can reach Redis (1) or not (0)',
      registers,
      collect() {
        this.set(up() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'meshmeet_node_info',
      help: 'This node, by the id it has in Redis and in its logs',
      labelNames: ['node'],
      registers,
    }).set({ node: nodeId }, 1);
    new Counter({
      name: 'meshmeet_redis_errors_total',
      help: 'Redis commands that failed or timed out',
      registers,
      collect() {
        this.reset();
        this.inc(errors());
      },
    });
    this.#rtt = new Histogram({
      name: 'meshmeet_redis_command_seconds',
      help: 'Round trip of the Redis commands and scripts the room store runs, by operation',
      labelNames: ['op'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers,
    });
  }

  readonly #children = new Map<string, { observe(seconds: number): void }>();

  observe(op: string, startMs: number): void {
    let child = this.#children.get(op);
    if (!child) this.#children.set(op, (child = this.#rtt.labels({ op })));
    child.observe((performance.now() - startMs) / 1000);
  }
}
