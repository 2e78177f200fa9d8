/**
 * GET /metrics: Prometheus text with Parley's own series after real traffic, behind the
 * bearer token when one is configured.
 */
import { expect } from 'chai';
import { FrameClient, startParley, type Parley } from './ws-harness';

const TOKEN = 'scrape-token-for-tests';

describe('GET /metrics (e2e)', function () {
  this.timeout(30_000);
  let parley: Parley;
  let client: FrameClient | undefined;
  const scrape = (headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }) => fetch(`http://127.0.0.1:${parley.port}/metrics`, { headers });
  /** The value of one series (name with its labels, exactly as exposed). */
  const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}.]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);

  before(async () => {
    parley = await startParley({ PARLEY_METRICS_TOKEN: TOKEN }, 1400000078);
    await parley.rest('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] });
    await parley.rest('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: 1, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }] });
    client = await FrameClient.open(parley);
    await client.login(parley, 'bob');
  });
  after(async () => {
    client?.close();
    await parley?.stop();
  });

  it('refuses a scrape without the token, or with another one, with 401', async () => {
    expect((await scrape({})).status).to.equal(401);
    expect((await scrape({ Authorization: 'Bearer nope' })).status).to.equal(401);
  });

  it('answers the Prometheus text format with messages stored, commits, sockets, online users, logins and event-loop lag', async () => {
    const res = await scrape();
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(value(text, 'parley_events_appended_total{type="parley.c2c.MessageSent"}')).to.be.at.least(1);
    expect(value(text, 'parley_store_commit_seconds_count')).to.be.at.least(1);
    expect(value(text, 'parley_websocket_connections')).to.be.at.least(1);
    expect(value(text, 'parley_online_users{app="1400000078"}')).to.equal(1);
    expect(value(text, 'parley_logins_total')).to.be.at.least(1);
    expect(text).to.match(/^nodejs_eventloop_lag_seconds \S+$/m);
    expect(text).to.match(/^parley_actors_active\{kind="messages"\} \d+$/m);
  });
});
