/**
 * Media throughput (npx tsx bench/media.ts): 10 MB uploads and downloads through one embedded
 * node's /media routes, against a bare Node HTTP server that copies the same bytes to a file
 * and back (the floor any HTTP file store pays), alternating rounds in the same run; then
 * thumbnail renditions per second of 4 MP JPEGs (sharp, the work of one image upload).
 * Options: --rounds N (default 5), --mb N (default 10).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import sharp from 'sharp';
import { REST_SERVICES, startEmbedded } from '../test/support/embedded';
import { genUserSig } from '../services/auth/usersig';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 5);
const MB = arg('mb', 10);

/** The baseline: PUT streams the body to a file, GET streams it back. */
async function bareServer(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const file = path.join(dir, 'blob');
    if (req.method === 'PUT') {
      pipeline(req, createWriteStream(file)).then(() => res.end('{}'), () => res.destroy());
    } else {
      void fs.stat(file).then((st) => {
        res.writeHead(200, { 'Content-Length': st.size });
        createReadStream(file).pipe(res);
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/blob`, close: () => new Promise((r) => server.close(() => r())) };
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function put(url: string, body: Buffer, method = 'PUT'): Promise<string> {
  const res = await fetch(url, { method, body });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`upload ${res.status}: ${text}`);
  return text;
}

async function get(url: string): Promise<void> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`download ${res.status}`);
  for await (const chunk of res.body!) void chunk;
}

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-bench-media-'));
  const node = await startEmbedded({ services: [...REST_SERVICES, 'media'], env: { PARLEY_MEDIA_MAX_FILE_MB: String(MB + 1), PARLEY_MEDIA_QUOTA_MB: String(MB * ROUNDS * 4) } });
  const bare = await bareServer(dir);
  const body = crypto.randomBytes(MB * 1024 * 1024);
  const sig = genUserSig({ sdkAppId: node.app.sdkAppId, secretKey: node.app.secret, identifier: node.app.admin, expireSeconds: 3600 });
  const uploadUrl = `${node.baseUrl}/v4/parley_media/upload?sdkappid=${node.app.sdkAppId}&identifier=${node.app.admin}&usersig=${encodeURIComponent(sig)}&type=file`;
  const totals = { parleyUp: 0, bareUp: 0, parleyDown: 0, bareDown: 0 };
  try {
    for (let round = 0; round < ROUNDS + 1; round++) {
      // Round 0 warms both servers up and is not counted.
      const count = round > 0;
      let fileUrl = '';
      const up = await timed(async () => {
        const answer = JSON.parse(await put(uploadUrl, body, 'POST')) as { ErrorCode: number; ErrorInfo: string; MsgBody: { MsgContent: { Url: string } }[] };
        if (answer.ErrorCode !== 0) throw new Error(answer.ErrorInfo);
        fileUrl = answer.MsgBody[0].MsgContent.Url;
      });
      const bareUp = await timed(() => put(bare.url, body).then(() => undefined));
      const down = await timed(() => get(fileUrl));
      const bareDown = await timed(() => get(bare.url));
      if (count) {
        totals.parleyUp += up;
        totals.bareUp += bareUp;
        totals.parleyDown += down;
        totals.bareDown += bareDown;
      }
    }
    const mbps = (t: number) => ((MB * ROUNDS) / t).toFixed(0);
    console.log(`${MB} MB files, ${ROUNDS} rounds, alternating`);
    console.log(`upload   parley ${mbps(totals.parleyUp)} MB/s  bare ${mbps(totals.bareUp)} MB/s  ratio ${(totals.bareUp / totals.parleyUp).toFixed(2)}`);
    console.log(`download parley ${mbps(totals.parleyDown)} MB/s  bare ${mbps(totals.bareDown)} MB/s  ratio ${(totals.bareDown / totals.parleyDown).toFixed(2)}`);
  } finally {
    await bare.close();
    await node.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
  await thumbnails();
}

/** Thumbnails (198 px short side, as ingest makes them) of a 2448×1632 (4 MP) JPEG, one at a time. */
async function thumbnails(): Promise<void> {
  const raw = crypto.randomBytes(153 * 102 * 3);
  const jpeg = await sharp(raw, { raw: { width: 153, height: 102, channels: 3 } }).resize(2448, 1632).jpeg({ quality: 90 }).toBuffer();
  const n = 40;
  const secs = await timed(async () => {
    for (let i = 0; i < n; i++) await sharp(jpeg).rotate().resize({ height: 198, withoutEnlargement: true }).jpeg({ quality: 80 }).toBuffer();
  });
  console.log(`thumbnails of a 4 MP JPEG (${(jpeg.length / 1024).toFixed(0)} KB): ${(n / secs).toFixed(1)}/s one at a time`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
