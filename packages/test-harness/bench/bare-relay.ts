/**
 * The baseline for P3/P4: a bare socket.io server that speaks the same events as the signaling
 * server (join, signal, media, leave) but forwards with no validation, no room checks, no rate
 * limits and no metrics registry. Run: node --import tsx bench/bare-relay.ts (PORT, HOST).
 * It prints the same JSON "listening" line as the real server and serves the heap size at
 * /metrics under the same Prometheus name, so benchmarks treat both alike. At /bare/<room> it
 * serves bare-page.html, the browser benchmarks' reference mesh page (with socket.io's client
 * script, which costs the relay nothing until it is asked for).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

interface Member {
  id: string;
  name: string;
  media: { mic: boolean; camera: boolean; screen: boolean };
}

const rooms = new Map<string, Map<string, Member>>();
const barePage = readFileSync(new URL('./bare-page.html', import.meta.url));
const http = createServer((req, res) => {
  if (req.url?.startsWith('/bare/')) {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(barePage);
    return;
  }
  if (req.url === '/metrics') {
    const memory = process.memoryUsage();
    res.setHeader('content-type', 'text/plain');
    res.end(`nodejs_heap_size_used_bytes ${memory.heapUsed}\nprocess_resident_memory_bytes ${memory.rss}\n`);
    return;
  }
  res.statusCode = req.url === '/healthz' ? 200 : 404;
  res.end();
});
const io = new Server(http);

type Ack = ((result: unknown) => void) | undefined;
const lastFunction = (args: unknown[]): Ack => {
  const last = args[args.length - 1];
  return typeof last === 'function' ? (last as (result: unknown) => void) : undefined;
};

io.on('connection', (socket) => {
  let room: string | null = null;
  const leave = (): void => {
    if (room === null) return;
    rooms.get(room)?.delete(socket.id);
    if (rooms.get(room)?.size === 0) rooms.delete(room);
    socket.to(room).emit('peer-left', { id: socket.id });
    void socket.leave(room);
    room = null;
  };
  socket.on('join', (request: { room: string; name: string; media?: Member['media'] }, ...rest: unknown[]) => {
    room = request.room;
    const members = rooms.get(room) ?? new Map<string, Member>();
    rooms.set(room, members);
    const self: Member = { id: socket.id, name: request.name, media: request.media ?? { mic: false, camera: false, screen: false } };
    void socket.join(room);
    socket.to(room).emit('peer-joined', self);
    lastFunction(rest)?.({ ok: true, self: { id: self.id, name: self.name }, peers: [...members.values()], iceServers: [] });
    members.set(socket.id, self);
  });
  socket.on('signal', (message: { to: string; description?: unknown; candidate?: unknown }, ...rest: unknown[]) => {
    const { to, ...body } = message;
    // The most direct forward socket.io offers: look the target socket up and emit to it.
    io.sockets.sockets.get(to)?.emit('signal', { from: socket.id, ...body });
    lastFunction(rest)?.({ ok: true });
  });
  socket.on('media', (state: Member['media'], ...rest: unknown[]) => {
    if (room !== null) socket.to(room).emit('media', { id: socket.id, ...state });
    lastFunction(rest)?.({ ok: true });
  });
  socket.on('leave', (...rest: unknown[]) => {
    leave();
    lastFunction(rest)?.({ ok: true });
  });
  socket.on('disconnect', leave);
});

http.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: 'listening', host: process.env.HOST ?? '127.0.0.1', port })}\n`);
});
process.on('SIGTERM', () => {
  io.close();
  http.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
