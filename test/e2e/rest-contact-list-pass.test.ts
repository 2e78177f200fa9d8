/**
 * REST recentcontact/get_list over several pages: the groups context is asked for the user's group
 * conversations once per pass (the pages echo the first reply's TimeStamp, as Tencent's reference
 * asks), not once per page; a page that does not echo it still gets a right answer.
 * services/conversations/list-cursor.ts (restPass); docs/conversations.md, "Paging".
 */
import { expect } from 'chai';
import { startParley, type Parley } from './ws-harness';

type Answer = { ErrorCode: number } & Record<string, unknown>;
type Page = Answer & { CompleteFlag: number; TimeStamp: number; StartIndex: number; TopTimeStamp: number; TopStartIndex: number; SessionItem: { Type: number; To_Account?: string; GroupId?: string }[] };
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];

describe('REST get_list paging with group conversations (e2e)', function () {
  this.timeout(30_000);
  let parley: Parley;
  let groupAsks = 0;
  const peers = Array.from({ length: 130 }, (_, i) => `lp${i}`);
  const groupIds: string[] = [];
  const rest = async <T extends Answer>(command: string, body: object) => {
    const answer = await parley.rest<T>(command, body);
    expect(answer.ErrorCode, `${command} ${JSON.stringify(answer)}`).to.equal(0);
    return answer;
  };

  /** Pages get_list until CompleteFlag 1; `echo` sends back the last reply's cursor fields, else only StartIndex. */
  async function pass(echo: boolean) {
    const ids: string[] = [];
    let cursor: Record<string, number> = { TimeStamp: 0, StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0 };
    for (let pages = 1; ; pages++) {
      const r = await rest<Page>('recentcontact/get_list', { From_Account: 'lbob', ...cursor });
      ids.push(...r.SessionItem.map((i) => (i.Type === 1 ? `C2C${i.To_Account}` : `GROUP${i.GroupId}`)));
      if (r.CompleteFlag === 1) return { ids, pages };
      cursor = echo ? { TimeStamp: r.TimeStamp, StartIndex: r.StartIndex, TopTimeStamp: r.TopTimeStamp, TopStartIndex: r.TopStartIndex } : { ...cursor, StartIndex: r.StartIndex };
    }
  }

  before(async () => {
    parley = await startParley({}, 1400000194);
    await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings: { rateLimits: { default: 100_000 } } });
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['lbob', ...peers.slice(0, 90)] });
    await rest('im_open_login_svc/multiaccount_import', { Accounts: peers.slice(90) });
    let random = 1;
    await Promise.all(peers.map((p) => rest('openim/sendmsg', { From_Account: p, To_Account: 'lbob', MsgRandom: random++, MsgBody: text('hi'), SyncOtherMachine: 2 })));
    for (const name of ['g1', 'g2', 'g3']) {
      const { GroupId } = await rest<Answer & { GroupId: string }>('group_open_http_svc/create_group', { Owner_Account: 'lp0', Type: 'Public', Name: name, MemberList: [{ Member_Account: 'lbob' }] });
      groupIds.push(GroupId);
    }
    // Counts the conversations context's asks of the groups context (services/groups/client.ts), passing each on.
    const call = parley.broker.call.bind(parley.broker) as (...args: unknown[]) => Promise<unknown>;
    (parley.broker as unknown as { call: typeof call }).call = (...args: unknown[]) => {
      if (args[0] === 'groups.conversationsOf') groupAsks++;
      return call(...args);
    };
  });
  after(async () => {
    await parley?.stop();
  });

  it('asks the groups once per pass when the pages echo the cursor, and lists every conversation once', async () => {
    groupAsks = 0;
    const { ids, pages } = await pass(true);
    expect(pages).to.equal(2);
    expect(ids).to.have.length(133);
    expect(new Set(ids).size).to.equal(133);
    expect(ids.filter((id) => id.startsWith('GROUP')).sort()).to.deep.equal(groupIds.map((g) => `GROUP${g}`).sort());
    expect(groupAsks).to.equal(1);
  });

  it('still lists everything when the pages do not echo TimeStamp (asking the groups on each page)', async () => {
    groupAsks = 0;
    const { ids, pages } = await pass(false);
    expect(pages).to.equal(2);
    expect(new Set(ids).size).to.equal(133);
    expect(groupAsks).to.equal(2);
  });
});
