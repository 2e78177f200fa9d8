/**
 * Start-up checks: an unreachable NATS, Redis or database, or a cluster node without a shared
 * event log, is a clear error and a non-zero exit, not a node that hangs retrying in the
 * background or runs on. URLs in these messages are masked (config/redact.ts).
 */
import net from 'node:net';
import type { ParleyConfig } from '../../config';
import { maskUrl, maskUrls } from '../../config/redact';

export class PreflightError extends Error {}

/**
 * A node that talks to other nodes (a transporter) keeps its actors' events in the log they
 * all share. With its own SQLite file instead, an actor that moves to another node on failover
 * would come back without the events this node wrote: refused unless explicitly allowed.
 */
export function checkSharedLog(config: Pick<ParleyConfig, 'transporter' | 'db' | 'allowLocalLog'>): void {
  if (config.transporter === undefined || config.db !== undefined || config.allowLocalLog) return;
  throw new PreflightError(
    `PARLEY_TRANSPORTER is set (${maskUrl(config.transporter)}) but PARLEY_DB is not: the nodes of a cluster must share one ` +
      'PostgreSQL event log. Set PARLEY_DB=postgres://…, or PARLEY_ALLOW_LOCAL_LOG=1 to keep this node\'s log in its own SQLite file.',
  );
}

/** Resolves when a TCP connection to the URL's host and port opens within `timeoutMs`. */
export function reachable(url: string, defaultPort: number, what: string, timeoutMs = 3000): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Node's own error carries the whole input, password included: never let it through.
    return Promise.reject(new PreflightError(`${what} URL ${maskUrl(url)} is not a valid URL`));
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: Number(parsed.port) || defaultPort });
    const fail = (reason: string) => {
      socket.destroy();
      reject(new PreflightError(`${what} at ${maskUrl(url)} is unreachable: ${maskUrls(reason)}`));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs} ms`));
    socket.once('error', (err) => fail(err.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}

/**
 * A start-up failure (a driver's error, say) with every URL in its message and stack masked.
 * Built anew rather than wrapped: a `cause` would print the original text after all.
 */
export function maskedStartError(err: unknown): Error {
  if (err instanceof PreflightError) return err;
  if (!(err instanceof Error)) return new PreflightError(maskUrls(String(err)));
  const masked = new PreflightError(maskUrls(err.message));
  masked.name = err.name;
  masked.stack = err.stack === undefined ? undefined : maskUrls(err.stack);
  return masked;
}
