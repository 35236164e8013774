// A tiny UDP echo, run inside a lab namespace, to check reachability and NAT mappings without
// ping (not installed here) or WebRTC. JSON lines on stdout.
//   serve <host> <port,port,…>     answers each datagram with the address it came from
//   client <localPort>             sends from ONE local port to the target of each stdin line
//                                  and prints what the target saw as its sender
import { createSocket, type Socket } from 'node:dgram';
import { createInterface } from 'node:readline';

const print = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
const [mode, ...args] = process.argv.slice(2);

function bind(socket: Socket, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => resolve());
  });
}

async function serve(host: string, ports: number[]): Promise<void> {
  for (const port of ports) {
    const socket = createSocket('udp4');
    socket.on('message', (data, from) => {
      const seenAs = `${from.address}:${from.port}`;
      print({ ev: 'received', port, from: seenAs, data: data.toString() });
      socket.send(JSON.stringify({ seenAs, port }), from.port, from.address);
    });
    await bind(socket, port, host);
  }
  print({ ev: 'listening', host, ports });
  process.on('SIGTERM', () => process.exit(0));
}

/** Sends from one bound port, one target per stdin line: `host:port [timeoutMs] [tries]`. */
async function client(localPort: number): Promise<void> {
  const socket = createSocket('udp4');
  const replies = new Map<string, (text: string) => void>();
  socket.on('message', (data, from) => {
    const key = `${from.address}:${from.port}`;
    const waiting = replies.get(key);
    if (waiting) waiting(data.toString());
    else print({ ev: 'unsolicited', from: key, data: data.toString() });
  });
  await bind(socket, localPort);
  print({ ev: 'ready', localPort });
  for await (const line of createInterface({ input: process.stdin })) {
    const [target = '', timeoutMs = '700', tries = '3'] = line.trim().split(/\s+/);
    const [host, port] = target.split(':') as [string, string];
    const sentAt = performance.now();
    let answer: string | null = null;
    // A few tries by default: the first datagram may race ARP on a fresh link.
    for (let attempt = 0; attempt < Number(tries) && answer === null; attempt++) {
      answer = await new Promise<string | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), Number(timeoutMs));
        replies.set(target, (text) => {
          clearTimeout(timer);
          resolve(text);
        });
        socket.send(`probe ${attempt}`, Number(port), host);
      });
    }
    replies.delete(target);
    if (answer === null) print({ ev: 'timeout', target });
    else print({ ev: 'reply', target, seenAs: (JSON.parse(answer) as { seenAs: string }).seenAs, rttMs: Math.round(performance.now() - sentAt) });
  }
  socket.close();
}

if (mode === 'serve') {
  await serve(args[0]!, args[1]!.split(',').map(Number));
} else if (mode === 'client') {
  await client(Number(args[0]));
} else {
  process.stderr.write('usage: udpProbe.ts serve <host> <ports> | client <localPort>\n');
  process.exit(2);
}
