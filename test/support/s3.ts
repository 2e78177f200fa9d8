/**
 * A real S3-compatible server for tests: s3rver (the npm package) on loopback, keeping its
 * objects in a temporary folder. It checks AWS Signature V4 with its own key pair
 * (S3RVER / S3RVER), as S3 does with an account's keys.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
// s3rver ships no types of its own; only what the tests use is declared.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver') as new (options: object) => { run(): Promise<{ port: number }>; close(): Promise<void> };

export interface S3Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

export async function startS3(): Promise<S3Server> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    async stop() {
      await server.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
