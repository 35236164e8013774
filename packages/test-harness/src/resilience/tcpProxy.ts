import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay between a client and the server on loopback, so that a test can cut one client's
 * signaling connection the way a dead network does: every open connection is destroyed and new
 * ones are refused until the cut ends.
 */
export class TcpProxy {
  readonly #server: Server;
  readonly #target: number;
  readonly #open = new Set<Socket>();
  #cutUntil = 0;
  port = 0;

  constructor(targetPort: number) {
    this.#target = targetPort;
    this.#server = createServer((client) => {
      if (Date.now() < this.#cutUntil) {
        client.destroy();
        return;
      }
      const upstream = connect(this.#target, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.#open.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => {
          this.#open.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this.port;
  }

  /** Drops every connection now and refuses new ones for `ms`. */
  cut(ms: number): void {
    this.#cutUntil = Date.now() + ms;
    for (const socket of [...this.#open]) socket.destroy();
  }

  async close(): Promise<void> {
    for (const socket of [...this.#open]) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
