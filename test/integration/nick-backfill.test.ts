/**
 * The nick back-fill (services/accounts/nick-backfill.ts) on SQLite and PostgreSQL: a log whose
 * accounts took their nicks before the directory existed, beside accounts filed as they were
 * written. It files each missing account once, with its nick now; a second run files nothing;
 * two runs at once file each account once; a run stopped after a page resumes after it.
 */
import { expect } from 'chai';
import { ACCOUNT_DELETED, ACCOUNT_IMPORTED, PROFILE_SET, TAG_NICK, type UserEvent } from '../../actors/user';
import { BACKFILL_ADVANCED, BACKFILL_FINISHED, BACKFILL_STARTED, type NickFiled } from '../../actors/nickdir/events';
import type { EventStore } from '../../store/event-store';
import { nickFeed, nickStream } from '../../services/accounts/nick-directory';
import { backfillNicks, backfillStream } from '../../services/accounts/nick-backfill';
import { dropSchema, openStore, postgresBackend, sqliteBackend, uniqueSchema } from '../support/stores';

const APP = 1_400_000_321;
const OTHER_APP = 1_400_000_322;
const AT = 1_700_000_000_000;

const imported = (nick: string, at = AT): UserEvent => ({ type: ACCOUNT_IMPORTED, data: { nick, faceUrl: '', at } });
const nickSet = (nick: string, at: number): UserEvent => ({ type: PROFILE_SET, data: { strings: { [TAG_NICK]: nick }, numbers: {}, at, operator: '' } });

for (const target of ['SQLite', 'PostgreSQL'] as const) {
  describe(`nick back-fill on ${target}`, function () {
    this.timeout(20_000);
    let store: EventStore;
    let schema = '';
    const versions = new Map<string, number>();

    /** Appends a user's events as an earlier Parley did: no directory entry. */
    const before = async (app: number, id: string, events: UserEvent[]) => {
      const stream = `user:${app}:${id}`;
      await store.append(stream, versions.get(stream) ?? 0, events);
      versions.set(stream, (versions.get(stream) ?? 0) + events.length);
    };
    /** Appends a user's events as Parley does now: the nick filed in the same transaction. */
    const live = async (app: number, id: string, events: UserEvent[]) => {
      const stream = `user:${app}:${id}`;
      const feed = nickFeed(app, id, events);
      await store.append(stream, versions.get(stream) ?? 0, events, feed ? [feed] : []);
      versions.set(stream, (versions.get(stream) ?? 0) + events.length);
    };
    const directory = async (app = APP) => (await store.read(nickStream(app))).map((e) => [(e.data as NickFiled['data']).userId, (e.data as NickFiled['data']).nick]);

    beforeEach(async () => {
      versions.clear();
      schema = uniqueSchema('nickfill');
      store = await openStore(target === 'SQLite' ? sqliteBackend() : postgresBackend(schema));
      await before(APP, 'old', [imported('Oldtimer')]);
      await before(APP, 'renamed', [imported('First'), nickSet('Second', AT + 1)]);
      await before(APP, 'gone', [imported('Gone')]);
      await before(APP, 'gone', [{ type: ACCOUNT_DELETED, data: { at: AT + 2 } }]);
      await before(APP, 'nameless', [imported('')]);
      await before(APP, 'later', [imported('Early')]);
      await before(OTHER_APP, 'elsewhere', [imported('Elsewhere')]);
      // The directory exists from here on.
      await live(APP, 'newcomer', [imported('Newcomer', AT + 10)]);
      await live(APP, 'later', [nickSet('Late', AT + 11)]);
    });
    afterEach(async () => {
      await store.close();
      if (target === 'PostgreSQL') await dropSchema(schema);
    });

    it('files the nick now of each account the directory misses, and no other', async () => {
      const result = await backfillNicks(store, APP);
      expect(result).to.deep.equal({ filed: 2, finished: true });
      expect(await directory()).to.have.deep.members([
        ['newcomer', 'Newcomer'],
        ['later', 'Late'],
        ['old', 'Oldtimer'],
        ['renamed', 'Second'],
      ]);
      expect(await directory(OTHER_APP)).to.deep.equal([]);
    });

    it('files nothing when run again, and reads no user event after finishing', async () => {
      await backfillNicks(store, APP);
      const filed = await store.version(nickStream(APP));
      const progress = await store.version(backfillStream(APP));
      expect(await backfillNicks(store, APP)).to.deep.equal({ filed: 0, finished: true });
      expect(await store.version(nickStream(APP))).to.equal(filed);
      expect(await store.version(backfillStream(APP))).to.equal(progress);
    });

    it('files the same, a page of one event at a time', async () => {
      expect(await backfillNicks(store, APP, { page: 1 })).to.deep.equal({ filed: 2, finished: true });
      expect((await directory()).map(([id, nick]) => `${id}=${nick}`).sort()).to.deep.equal(['later=Late', 'newcomer=Newcomer', 'old=Oldtimer', 'renamed=Second']);
      // Started; a page per user event before the directory's first entry: 6, and the newcomer's
      // import, written just before its own filing (recognised as filed); an empty last page; Finished.
      expect(await store.version(backfillStream(APP))).to.equal(1 + 7 + 1 + 1);
    });

    it('files each account once when two runs go at once', async () => {
      const results = await Promise.all([backfillNicks(store, APP, { page: 1 }), backfillNicks(store, APP, { page: 1 })]);
      expect(results.reduce((n, r) => n + r.filed, 0)).to.equal(2);
      expect(await store.version(nickStream(APP))).to.equal(4);
      expect(await backfillNicks(store, APP)).to.deep.equal({ filed: 0, finished: true });
    });

    it('resumes after the last page a stopped run recorded', async () => {
      // A run that stopped after a page ending at the import of `old` (the log's first user event).
      const [first] = await store.readByTime({ from: 0, to: Number.MAX_SAFE_INTEGER, streamPrefix: `user:${APP}:`, limit: 1 });
      await store.append(backfillStream(APP), 0, [
        { type: BACKFILL_STARTED, data: { at: AT + 20 } },
        { type: BACKFILL_ADVANCED, data: { afterPosition: first.position, filed: 1 } },
      ]);
      expect(await backfillNicks(store, APP)).to.deep.equal({ filed: 1, finished: true });
      expect((await directory()).map(([id]) => id)).to.not.include('old');
      const [last] = await store.readBackward(backfillStream(APP), Number.MAX_SAFE_INTEGER, 1);
      expect(last.type).to.equal(BACKFILL_FINISHED);
      expect(last.data).to.include({ filed: 2 });
    });

    it('leaves nicks set after it began to the directory feed', async () => {
      await backfillNicks(store, APP);
      await before(APP, 'straggler', [imported('Straggler', AT + 30)]);
      expect(await backfillNicks(store, APP)).to.deep.equal({ filed: 0, finished: true });
    });
  });
}
