/**
 * The app backend of the webhook benchmarks, run as a child process: answers every callback
 * with Tencent's OK at once, and reports how many it received when asked over IPC.
 */
import { fork } from 'node:child_process';
import http from 'node:http';

function serve(): void {
  let count = 0;
  const ok = JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(ok);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
  // The backend shares the machine's two cores with the server: its CPU is part of the cost.
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ count, cpuUs: user + system });
  });
}

export interface CallbackBackend {
  url: string;
  /** Callbacks received so far. */
  received(): Promise<number>;
  /** Callbacks received so far and the backend process's CPU time so far (µs, user + system). */
  stats(): Promise<{ count: number; cpuUs: number }>;
  stop(): void;
}

export async function startCallbackBackend(): Promise<CallbackBackend> {
  const child = fork(__filename, ['--serve'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
  const stats = () => new Promise<{ count: number; cpuUs: number }>((resolve) => (child.once('message', (m) => resolve(m as { count: number; cpuUs: number })), child.send('stats')));
  return {
    url: `http://127.0.0.1:${port}/callback`,
    received: async () => (await stats()).count,
    stats,
    stop: () => child.kill(),
  };
}

if (require.main === module && process.argv.includes('--serve')) serve();
