/**
 * Alert.RequestOverLimit: an app backend calling one REST command faster than the app's limit
 * gets 60007 and, once a minute at most, an alarm naming the command and the limit.
 */
import { expect } from 'chai';
import { OK, TestBackend } from '../support/backend';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded, type RestClient } from '../support/embedded';

const ALARM = 'Alert.RequestOverLimit';

describe('Alert.RequestOverLimit (e2e)', function () {
  this.timeout(30_000);
  const backend = new TestBackend();
  let server: Embedded;
  let rest: RestClient;
  /** Calls an account command (account_check unless named) `count` times at once; the answers' codes. */
  const burst = async (count: number, command = 'account_check', body: object = { CheckItem: [{ UserID: 'nobody' }] }) =>
    (await Promise.all(Array.from({ length: count }, () => rest.call(`im_open_login_svc/${command}`, body)))).map((a) => a.ErrorCode);
  const alarmsFor = (command: string) => backend.of(ALARM).filter((a) => a.body.Command === command);
  /**
   * Takes another command over its limit and waits for that alarm: an app's alarms are delivered
   * in the order they were queued, so any alarm queued before has arrived by then.
   */
  const alarmAfter = async (command: string, body: object) => {
    expect((await burst(10, command, body)).filter((c) => c === 60007).length).to.be.at.least(1);
    await backend.waitFor(() => alarmsFor(command).length === 1, `the alarm for ${command}`);
  };

  before(async () => {
    await backend.start();
    backend.respond = () => ({ body: OK });
    server = await startEmbedded({ services: [...REST_SERVICES, 'webhooks'], env: { PARLEY_CALLBACK_URL: backend.url } });
    rest = adminRest(server);
    const app = await server.broker.call<{ settings: { rateLimits: { account: number } } }, object>('apps.update', { sdkAppId: server.app.sdkAppId, settings: { rateLimits: { account: 2 } } });
    expect(app.settings.rateLimits.account).to.equal(2);
  });
  after(async () => {
    await server?.stop();
    await backend.stop();
  });

  it('sends no alarm while calls stay within the limit', async () => {
    expect(await burst(2)).to.deep.equal([0, 0]);
    await alarmAfter('account_delete', { DeleteItem: [{ UserID: 'nobody' }] });
    expect(alarmsFor('account_check')).to.have.length(0);
  });

  it('sends one alarm with the command and the limit when calls go over it, and no second one within the minute', async () => {
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    const codes = await burst(6);
    expect(codes.filter((c) => c === 60007).length, JSON.stringify(codes)).to.be.at.least(1);
    await backend.waitFor(() => alarmsFor('account_check').length === 1, 'the alarm');
    const [alarm] = alarmsFor('account_check');
    expect(alarm.query).to.include({ SdkAppid: String(server.app.sdkAppId), OptPlatform: 'RESTAPI' });
    const { CallbackCommand, EventTime, ...fields } = alarm.body;
    expect(CallbackCommand).to.equal(ALARM);
    expect(EventTime).to.be.a('number');
    expect(fields).to.deep.equal({ ServiceName: 'im_open_login_svc', Command: 'account_check', Request: 3, Limit: 2 });
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    expect((await burst(6)).filter((c) => c === 60007).length).to.be.at.least(1);
    await alarmAfter('multiaccount_import', { Accounts: ['nobody'] });
    expect(alarmsFor('account_check')).to.have.length(1);
  });
});
