/**
 * History pages read through the stream's `seq` index, on SQLite and PostgreSQL: what a page
 * shows (recalls, modifications, one-sided deletions, tips, events of other kinds between the
 * messages), paging to the end, and what a page costs: the index entries it reads do not grow
 * with its depth in the conversation.
 */
import { expect } from 'chai';
import { c2cKindWithin, MESSAGES_DELETED, msgKeyOf, type C2CCommand, type C2CEvent, type MessageSentData } from '../../actors/c2c';
import { groupKind, type GroupCommand, type GroupEvent, type HistoryWindow } from '../../actors/group';
import type { ActorKind } from '../../runtime/kind';
import type { IndexRange, NewEvent } from '../../runtime/eventlog';
import type { EventStore } from '../../store/event-store';
import { readGroupHistory } from '../../services/groups/history';
import { locateMessage, readHistory, type HistoryQuery } from '../../services/messages/history';
import { dropSchema, openStore, postgresBackend, sqliteBackend, uniqueSchema } from '../support/stores';
import { member, textMessage } from '../unit/actors/group/support';

const APP = 1_400_000_000;
const START = 1_700_000_000_000;
const admin = { id: 'administrator', admin: true };
const NEWEST = Number.MAX_SAFE_INTEGER;
/** Two group messages recalled (not tips: 40 messages, then a quit and a join tip, and so on). */
const RECALLED = [300, 301];

/** Runs commands through a kind's decide and evolve and appends what they produce, as the host does. */
class Actor<S, C, E extends NewEvent> {
  state: S;
  version = 0;
  constructor(
    private readonly store: EventStore,
    private readonly kind: ActorKind<S, C, E, unknown>,
    readonly key: string,
  ) {
    this.state = kind.initialState(key);
  }

  get stream(): string {
    return `${this.kind.name}:${this.key}`;
  }

  async run<R>(command: C, events?: (decided: E[]) => E[]): Promise<R> {
    const d = this.kind.decide(this.state, command);
    const stored = events ? events(d.events) : d.events;
    for (const e of stored) this.state = this.kind.evolve(this.state, e);
    if (stored.length > 0) this.version = (await this.store.append(this.stream, this.version, stored, d.feeds ?? [])).version;
    return d.reply as R;
  }
}

const c2cText = (from: string, to: string, random: number) => ({
  from, to, clientSeq: 0, random, clientTime: 0, body: `[{"MsgType":"TIMTextElem","MsgContent":{"Text":"m${random}"}}]`, cloudCustomData: '', offlinePush: null,
  needReadReceipt: false, syncToSender: true, fromNick: '', fromFace: '', byAdmin: false, contentHash: random, forbidCallbacks: [], platform: 'RESTAPI', clientIp: '', noUnread: false, noLastMsg: false, lifeTimeSec: 0,
});

/** Counts what a store's index reads return. */
function counted(store: EventStore): { store: EventStore; entries: () => number; reset: () => void } {
  let n = 0;
  const readIndex = store.readIndex.bind(store);
  store.readIndex = async (stream: string, range: IndexRange) => {
    const page = await readIndex(stream, range);
    n += page.length;
    return page;
  };
  return { store, entries: () => n, reset: () => (n = 0) };
}

for (const target of ['SQLite', 'PostgreSQL'] as const) {
  describe(`history through the seq index on ${target}`, function () {
    this.timeout(60_000);
    let store: EventStore;
    let schema = '';

    beforeEach(async () => {
      schema = uniqueSchema('history');
      store = await openStore(target === 'SQLite' ? sqliteBackend() : postgresBackend(schema));
    });
    afterEach(async () => {
      await store.close();
      if (target === 'PostgreSQL') await dropSchema(schema);
    });

    describe('one-to-one', () => {
      /** 300 messages alice↔bob, a read mark after each; recalls, modifications and deletions of a few. */
      async function conversation() {
        const c = new Actor<unknown, C2CCommand, C2CEvent>(store, c2cKindWithin(1_000) as ActorKind<unknown, C2CCommand, C2CEvent, unknown>, `${APP}:alice|bob`); // the actor alone: it must remember all 300
        const keys: string[] = [''];
        for (let i = 1; i <= 300; i++) {
          const [from, to] = i % 2 ? ['alice', 'bob'] : ['bob', 'alice'];
          const now = START + i * 1000;
          keys.push((await c.run<{ msgKey: string }>({ op: 'send', message: c2cText(from, to, i), now })).msgKey);
          await c.run({ op: 'read', reader: to, now });
        }
        const now = START + 400_000;
        await c.run({ op: 'recall', msgKey: keys[250], by: 'administrator', admin: true, limitSeconds: 1e9, now });
        await c.run({ op: 'modify', msgKey: keys[120], body: '[{"MsgType":"TIMTextElem","MsgContent":{"Text":"edited"}}]', now });
        await c.run({ op: 'modify', msgKey: keys[120], cloudCustomData: 'cc', now });
        await c.run({ op: 'deleteMessages', user: 'alice', msgKeys: [keys[200], keys[100]], now });
        // A deletion as stored before deletions named their sequences: filed under the whole stream.
        await c.run({ op: 'deleteMessages', user: 'alice', msgKeys: [keys[50]], now }, (events) =>
          events.map((e) => (e.type === MESSAGES_DELETED ? { ...e, data: { ...e.data, seqs: [] } } : e)),
        );
        await c.run({ op: 'deleteHistory', user: 'bob', now });
        return { c, keys };
      }

      const query = (stream: string, reader: string, more: Partial<HistoryQuery> = {}): HistoryQuery => ({ stream, reader, beforeVersion: NEWEST, maxCount: 20, minTime: 0, maxTime: NEWEST, ...more });

      it('pages to the first message with what the reader should see of each, recalls, edits and one-sided deletions included', async () => {
        const { c } = await conversation();
        const seen: { seq: number; text: string; recalled: boolean; edits: number; cc: string }[] = [];
        let before = query(c.stream, 'alice');
        for (let pages = 0; ; pages++) {
          expect(pages).to.be.lessThan(20);
          const page = await readHistory(store, before);
          seen.push(...page.items.map((i) => ({ seq: i.message.seq, text: i.message.body, recalled: i.recalled, edits: i.edits, cc: i.message.cloudCustomData })));
          if (page.complete) break;
          const last = page.items[page.items.length - 1];
          before = query(c.stream, 'alice', { beforeVersion: last.version, ...(pages % 2 ? { beforeSeq: last.message.seq } : {}) });
        }
        const seqs = seen.map((s) => s.seq);
        expect(seqs).to.deep.equal(Array.from({ length: 300 }, (_, i) => 300 - i).filter((s) => ![200, 100, 50].includes(s)));
        expect(seen.find((s) => s.seq === 250)?.recalled).to.equal(true);
        // The newest modification wins over the message's own fields it gives (as before the index).
        expect(seen.find((s) => s.seq === 120)).to.include({ edits: 2, cc: 'cc' });
        expect(seen.filter((s) => s.recalled || s.edits).map((s) => s.seq)).to.deep.equal([250, 120]);
      });

      it('shows the peer what one side deleted, and nothing to a side that deleted its history', async () => {
        const { c } = await conversation();
        const bob = await readHistory(store, query(c.stream, 'bob', { maxCount: 100 }));
        expect(bob).to.deep.equal({ items: [], complete: true });
        const all: number[] = [];
        for (let before = NEWEST; ; ) {
          const page = await readHistory(store, query(c.stream, 'alice', { maxCount: 100, beforeVersion: before }));
          all.push(...page.items.map((i) => i.message.seq));
          if (page.complete) break;
          before = page.items[page.items.length - 1].version;
        }
        expect(all).to.have.length(297);
      });

      it('starts a page at the newest message of MaxTime or before, and finds a message by MsgKey', async () => {
        const { c, keys } = await conversation();
        const page = await readHistory(store, query(c.stream, 'alice', { maxTime: START / 1000 + 150, maxCount: 3 }));
        expect(page.items.map((i) => i.message.seq)).to.deep.equal([150, 149, 148]);
        const at = await locateMessage(store, c.stream, keys[7]);
        const [stored] = await store.read(c.stream, at!.version - 1, 1);
        expect(msgKeyOf(stored.data as MessageSentData)).to.equal(keys[7]);
        expect(at!.seq).to.equal(7);
        expect(await locateMessage(store, c.stream, `1_2_${START / 1000 + 7}`)).to.equal(undefined);
        expect(await locateMessage(store, c.stream, 'nonsense')).to.equal(undefined);
      });

      it('reads about as many index entries for a page at the oldest end as at the newest', async () => {
        const { c } = await conversation();
        const probe = counted(store);
        await readHistory(probe.store, query(c.stream, 'alice', { maxCount: 15 }));
        const newest = probe.entries();
        probe.reset();
        const [deep] = await store.readIndex(c.stream, { index: 'seq', high: 30, low: 30, limit: 1 });
        await readHistory(probe.store, query(c.stream, 'alice', { maxCount: 15, beforeVersion: deep.version, beforeSeq: 30 }));
        // The page, one more message, room for a few effects, and what is filed under the whole stream (2 here).
        expect(probe.entries()).to.be.at.most(newest + 2).and.at.most(15 + 8);
      });
    });

    describe('groups', () => {
      async function group() {
        const g = new Actor<unknown, GroupCommand, GroupEvent>(store, groupKind as ActorKind<unknown, GroupCommand, GroupEvent, unknown>, `${APP}:g1`);
        const profile = { type: 'Public' as const, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
        await g.run({ op: 'create', by: admin, group: profile, members: [member('o', 'Owner'), member('m'), member('late')], imported: false, now: START });
        for (let i = 1; i <= 400; i++) {
          const now = START + i * 1000;
          await g.run({ op: 'send', by: { id: 'm', admin: false }, message: textMessage('m', i), onlineOnly: false, now });
          if (i % 40 === 0) {
            await g.run({ op: 'quit', user: 'late', now });
            await g.run({ op: 'invite', by: admin, users: ['late'], silence: false, now });
          }
        }
        await g.run({ op: 'recall', by: admin, seqs: RECALLED, limitSeconds: 1e9, now: START + 500_000 });
        return g;
      }
      const meta = (g: Actor<unknown, GroupCommand, GroupEvent>) => (g.state as { messages: Map<number, { tip: boolean; recalled: boolean }> }).messages;
      const window = (g: Actor<unknown, GroupCommand, GroupEvent>, seq = NEWEST) => groupKind.decide(g.state as never, { op: 'locate', viewer: admin, seq }).reply.result as HistoryWindow;

      it('pages messages and tips by sequence to the first, recalled ones shown or left out', async () => {
        const g = await group();
        const seqs: number[] = [];
        let tips = 0;
        for (let seq = NEWEST; ; ) {
          const page = await readGroupHistory(store, g.stream, window(g, seq), 30, false);
          for (const i of page.items) {
            seqs.push(i.kind === 'tip' ? i.tip.seq : i.message.seq);
            if (i.kind === 'tip') tips++;
          }
          if (page.complete) break;
          seq = page.next;
        }
        const last = (g.state as { lastSeq: number }).lastSeq;
        expect(RECALLED.map((seq) => [meta(g).get(seq)?.tip, meta(g).get(seq)?.recalled])).to.deep.equal([[false, true], [false, true]]);
        expect(tips).to.equal([...meta(g).values()].filter((m) => m.tip).length).and.to.be.greaterThan(15);
        expect(seqs).to.deep.equal(Array.from({ length: last }, (_, i) => last - i).filter((s) => !RECALLED.includes(s)));
        const top = RECALLED[1] + 1;
        const withRecalled = await readGroupHistory(store, g.stream, window(g, top), 3, true);
        const shown = withRecalled.items.map((i) => (i.kind === 'message' ? [i.message.seq, i.recalled] : [i.tip.seq, 'tip']));
        expect(shown).to.deep.equal([top, top - 1, top - 2].map((seq) => [seq, meta(g).get(seq)!.tip ? 'tip' : RECALLED.includes(seq)]));
        expect(withRecalled).to.include({ complete: false, next: top - 3 });
      });

      it('reads the same number of index entries for a page at any depth', async () => {
        const g = await group();
        const probe = counted(store);
        const costs: number[] = [];
        for (const seq of [NEWEST, 200, 25]) {
          probe.reset();
          const page = await readGroupHistory(probe.store, g.stream, window(g, seq), 20, true);
          expect(page.items).to.have.length(20);
          costs.push(probe.entries());
        }
        expect(costs).to.deep.equal([21, 21, 21]);
      });
    });
  });
}
