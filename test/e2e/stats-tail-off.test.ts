/**
 * PARLEY_STATS_TAIL_MS=0: the statistics follower runs no rounds in the background, and an
 * answer still holds every event committed before it was asked for (folded on demand).
 */
import { expect } from 'chai';
import type { Service } from 'moleculer';
import { startParley, type Parley } from './ws-harness';
import type { StatsTail } from '../../services/stats/tail';

type Answer = { ActionStatus: string; ErrorCode: number; ErrorInfo: string; Result?: Record<string, string>[] };
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

describe('statistics with the follower off (PARLEY_STATS_TAIL_MS=0, e2e)', function () {
  this.timeout(30_000);
  let parley: Parley;
  const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });
  const tail = () => (parley.broker.getLocalService('stats') as Service & { tail: StatsTail }).tail;

  before(async () => {
    parley = await startParley({ PARLEY_STATS_TAIL_MS: '0', PARLEY_STATS_SAMPLE_SEC: '3600' }, 1400000078);
  });
  after(async () => parley?.stop());

  it('does not follow the log in the background', () => {
    expect(tail().isFollowing).to.equal(false);
  });

  it('folds what was committed before the request when asked, and again after more', async () => {
    ok(await parley.rest('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] }));
    ok(await parley.rest('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: 1, MsgBody: text('one') }));
    const first = await parley.rest<Answer>('openconfigsvr/getappinfo', { RequestField: ['C2CUpMsgNum', 'RegistUserNumOneDay'] });
    ok(first);
    expect(first.Result![0]).to.include({ C2CUpMsgNum: '1', RegistUserNumOneDay: '2' });
    ok(await parley.rest('openim/sendmsg', { From_Account: 'bob', To_Account: 'alice', MsgRandom: 2, MsgBody: text('two') }));
    const second = await parley.rest<Answer>('openconfigsvr/getappinfo', { RequestField: ['C2CUpMsgNum'] });
    ok(second);
    expect(second.Result![0]).to.include({ C2CUpMsgNum: '2' });
  });
});
