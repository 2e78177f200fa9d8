/**
 * Start-up checks: an unreachable NATS, Redis or database is a clear error and a non-zero
 * exit, not a node that hangs retrying in the background.
 */
import net from 'node:net';

export class PreflightError extends Error {}

/** Resolves when a TCP connection to the URL's host and port opens within `timeoutMs`. */
export function reachable(url: string, defaultPort: number, what: string, timeoutMs = 3000): Promise<void> {
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: Number(port) || defaultPort });
    const fail = (reason: string) => {
      socket.destroy();
      reject(new PreflightError(`${what} at ${url} is unreachable: ${reason}`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (err) => fail(err.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}
