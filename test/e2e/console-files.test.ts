/**
 * The console's page and modules as a browser fetches them: where they live, their types,
 * the security headers, revalidation with ETags, and nothing else under /console.
 */
import http from 'node:http';
import { expect } from 'chai';
import { startEmbedded, type Embedded } from '../support/embedded';

// The page's bundle, and Chart.js's that the statistics page imports when first shown.
const MODULES = ['console.js', 'charts.js'];

function rawGet(port: number, path: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path }, (res) => resolve(res.resume())).on('error', reject);
  });
}

describe('console files (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  const get = (path: string, init: RequestInit = {}) => fetch(`${server.baseUrl}${path}`, { redirect: 'manual', ...init });

  before(async () => {
    server = await startEmbedded();
  });
  after(() => server?.stop());

  it('redirects /console to /console/ with a relative Location, so it works behind a path prefix', async () => {
    const res = await get('/console');
    expect(res.status).to.equal(308);
    expect(res.headers.get('location')).to.equal('console/');
  });

  it('serves the page with its type, a strict Content-Security-Policy and no sniffing', async () => {
    const res = await get('/console/');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "form-action 'none'"]) {
      expect(csp).to.include(directive);
    }
    expect(csp).not.to.include('unsafe-inline');
    expect(res.headers.get('cache-control')).to.equal('no-cache');
    const html = await res.text();
    expect(html).to.include('<script type="module" src="console.js"></script>');
    // CSP forbids inline code: the page must have none for it to work at all.
    expect(html).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/).and.not.to.match(/\sstyle=|\son[a-z]+=/);
  });

  const types: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };
  for (const name of [...MODULES, 'console.css', 'favicon.svg']) {
    it(`serves ${name} with its type and an ETag`, async () => {
      const res = await get(`/console/${name}`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal(types[name.split('.').pop()!]);
      expect(res.headers.get('etag')).to.match(/^"[\w-]+"$/);
      expect((await res.text()).length).to.be.greaterThan(100);
    });
  }

  it('answers 304 to a request that already holds the current version', async () => {
    const etag = (await get('/console/console.js')).headers.get('etag') ?? '';
    const res = await get('/console/console.js', { headers: { 'If-None-Match': etag } });
    expect(res.status).to.equal(304);
    expect(await res.text()).to.equal('');
  });

  it('answers HEAD with the headers alone', async () => {
    const res = await get('/console/', { method: 'HEAD' });
    expect(res.status).to.equal(200);
    expect(Number(res.headers.get('content-length'))).to.be.greaterThan(0);
  });

  it('serves no other path under /console, not even one that climbs out of web/', async () => {
    for (const path of ['/console/index.html', '/console/../package.json', '/console/%2e%2e/package.json', '/console/secret.json', '/console/api.js/x']) {
      // node:http sends the path as written; fetch would resolve the dots first.
      const res = await rawGet(server.port, path);
      expect(res.statusCode, path).to.equal(404);
      expect(res.headers['x-content-type-options'], path).to.equal('nosniff');
    }
  });

  it('refuses to take a POST to the page', async () => {
    const res = await get('/console/', { method: 'POST', body: 'usersig=x' });
    expect(res.status).to.equal(405);
    expect(res.headers.get('allow')).to.equal('GET, HEAD');
  });

  it('leaves the other routes of the port as they were', async () => {
    expect((await get('/healthz')).status).to.equal(200);
    expect((await get('/consoles')).status).to.equal(404);
  });
});
