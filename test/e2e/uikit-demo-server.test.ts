/**
 * The UIKit example's demo server (examples/uikit/demo/server.ts) from outside: it serves the
 * built app and nothing beside it, and refuses user IDs Parley would refuse before signing.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect } from 'chai';
import { startDemoServer, type DemoServer } from '../../examples/uikit/demo/server';
import { tempDir } from '../support/stores';

/** A raw GET, so that ../ and encoded slashes reach the server as written. */
function get(base: string, target: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/`, { method, path: target }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('UIKit demo server (e2e)', () => {
  let base: string;
  let demo: DemoServer;

  before(async () => {
    base = tempDir('parley-uikit-');
    const root = path.join(base, 'dist');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>kit</title>');
    fs.writeFileSync(path.join(base, 'secret-beside-dist.txt'), 'no');
    // No Parley behind it: every request here must be answered before the backend is asked.
    demo = await startDemoServer(root, { sdkAppId: 1400000001, admin: 'administrator', sign: () => 'sig', parleyUrl: 'http://127.0.0.1:9', proxyServer: 'ws://127.0.0.1:9' });
  });
  after(async () => {
    await demo?.close();
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('serves the built app at / with its content type', async () => {
    const res = await get(demo.url, '/');
    expect([res.status, res.body]).to.deep.equal([200, '<!doctype html><title>kit</title>']);
  });

  it('serves nothing outside the bundle, however the path is written', async () => {
    for (const target of ['/../secret-beside-dist.txt', '/%2e%2e/secret-beside-dist.txt', '/..%2fsecret-beside-dist.txt', '/index.html%00.txt', '/%E0%A4%A']) {
      expect((await get(demo.url, target)).status, target).to.be.oneOf([400, 404]);
    }
  });

  it('refuses a user ID Parley would refuse, before signing anything', async () => {
    for (const id of ['', 'a-b', '../x', 'x'.repeat(33)]) {
      const res = await get(demo.url, `/demo/session?userID=${encodeURIComponent(id)}`);
      expect(res.status, id).to.equal(400);
      expect(res.body).to.not.contain('sig');
    }
  });

  it('answers only GET and HEAD', async () => {
    expect((await get(demo.url, '/', 'POST')).status).to.equal(405);
  });
});
