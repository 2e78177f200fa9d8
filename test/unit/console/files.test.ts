/**
 * Where the gateway finds web/console: beside the sources (tests, tsx) and beside a build
 * (`npm start` runs dist/services), and every file the page links is in the list it serves.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { consoleDir, loadAssets } from '../../../services/console/files';
import { tempDir } from '../../support/stores';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const WEB = path.join(ROOT, 'web', 'console');

describe('console files', () => {
  it('finds web/console from the sources and from a build under dist/', () => {
    expect(consoleDir(path.join(ROOT, 'services', 'console'))).to.equal(WEB);
    expect(consoleDir(path.join(ROOT, 'dist', 'services', 'console'))).to.equal(WEB);
  });

  it('finds nothing where there is no web/console', () => {
    const dir = tempDir('parley-no-web-');
    try {
      expect(consoleDir(path.join(dir, 'services', 'console'))).to.equal(undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds the bundle again when a page module is newer than it', function () {
    this.timeout(30_000);
    const bundle = path.join(WEB, 'dist', 'console.js');
    loadAssets(WEB);
    // Older than every module, however old the checkout: an hour before the oldest.
    const modules = fs.readdirSync(WEB).filter((f) => f.endsWith('.js'));
    const old = new Date(Math.min(...modules.map((f) => fs.statSync(path.join(WEB, f)).mtimeMs)) - 3_600_000);
    fs.utimesSync(bundle, old, old);
    loadAssets(WEB);
    expect(fs.statSync(bundle).mtimeMs).to.be.above(old.getTime() + 1000);
  });

  it('serves every file the page links; its modules reach the browser inside the one bundle', () => {
    const assets = loadAssets(WEB);
    const html = fs.readFileSync(path.join(WEB, 'index.html'), 'utf8');
    const linked = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(linked).to.include.members(['console.js', 'console.css', 'favicon.svg']);
    for (const name of linked) expect(assets.has(name), name).to.equal(true);
    expect(assets.has('api.js'), 'a module of the bundle served on its own').to.equal(false);
  });
});
