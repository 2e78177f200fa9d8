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
  process.on('message', () => process.send?.({ count }));
}

export interface CallbackBackend {
  url: string;
  /** Callbacks received so far. */
  received(): Promise<number>;
  stop(): void;
}

export async function startCallbackBackend(): Promise<CallbackBackend> {
  const child = fork(__filename, ['--serve'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
  return {
    url: `http://127.0.0.1:${port}/callback`,
    received: () => new Promise<number>((resolve) => (child.once('message', (m) => resolve((m as { count: number }).count)), child.send('count'))),
    stop: () => child.kill(),
  };
}

if (require.main === module && process.argv.includes('--serve')) serve();
