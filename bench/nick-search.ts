/**
 * What a console search by nick costs in an app of --accounts accounts (issue 20: the console
 * stays fast with 100,000 accounts; searches are indexed, lists paged).
 *
 * The app's nick directory (services/accounts/nick-directory.ts) is filled straight into a real
 * store (SQLite in a temp folder, synchronous=NORMAL as the tests use; `--pg` for PostgreSQL in a
 * schema of its own): one NickFiled per account, as account_import files it, appended in chunks.
 * Nicks are two random syllable words ("Lomaru Kesti"), so a two-letter query matches about one
 * account in a hundred and a whole nick about one. Each query is then searched --runs times
 * through searchNicks with an accounts client that answers every account as imported with the
 * nick it was filed with (the user actor's answer, minus the actor), so the figure is the
 * directory's own cost: one index range per page, whatever the size of the app.
 *
 * Usage: npx tsx bench/nick-search.ts [--accounts 100000] [--runs 20] [--pg]
 */
import { performance } from 'node:perf_hooks';
import { NICK_FILED } from '../actors/nickdir/events';
import { nickKeys } from '../actors/nickdir/keys';
import type { AccountsClient } from '../services/accounts/client';
import { nickStream, searchNicks } from '../services/accounts/nick-directory';
import { dropSchema, openStore, postgresBackend, sqliteBackend, storeOptions, uniqueSchema } from '../test/support/stores';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ACCOUNTS = arg('accounts', 100_000);
const RUNS = arg('runs', 20);
const PG = process.argv.includes('--pg');
const APP = 1400000001;
const SYLLABLES = ['lo', 'ma', 'ru', 'ke', 'sti', 'na', 'vo', 'li', 'da', 'pe'];

function nickOf(i: number): string {
  let n = i * 2654435761;
  const word = (len: number) => {
    let w = '';
    for (let k = 0; k < len; k++) {
      w += SYLLABLES[n % SYLLABLES.length];
      n = Math.floor(n / SYLLABLES.length) + 7;
    }
    return w[0].toUpperCase() + w.slice(1);
  };
  return `${word(3)} ${word(2)} ${i}`;
}

async function main(): Promise<void> {
  const schema = uniqueSchema('nick');
  const store = await openStore(PG ? postgresBackend(schema) : sqliteBackend(), storeOptions());
  const nicks = new Map<string, string>();
  const started = performance.now();
  const CHUNK = 1000;
  for (let from = 0; from < ACCOUNTS; from += CHUNK) {
    const events = [];
    for (let i = from; i < Math.min(ACCOUNTS, from + CHUNK); i++) {
      const nick = nickOf(i);
      nicks.set(`u${i}`, nick);
      events.push({ type: NICK_FILED, data: { userId: `u${i}`, nick, at: Date.now(), keys: nickKeys(nick) } });
    }
    await store.append(nickStream(APP), from, events);
  }
  console.log(`${PG ? 'PostgreSQL' : 'SQLite'}: ${ACCOUNTS} nicks filed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const accounts = { get: async (_app: number, id: string) => ({ imported: true, kickedAt: 0, nick: nicks.get(id) }) } as unknown as AccountsClient;
  const queries = ['lo', 'Loma', nickOf(4242).slice(0, 8), nickOf(77777 % ACCOUNTS), 'zz-nobody'];
  console.log('query                 hits  first page ms (median, max)  second page ms (median)');
  for (const q of queries) {
    const first: number[] = [];
    const second: number[] = [];
    let hits = 0;
    for (let r = 0; r < RUNS; r++) {
      let t = performance.now();
      const page = await searchNicks(store, accounts, APP, q, 20);
      first.push(performance.now() - t);
      hits = page.accounts.length;
      if (page.next) {
        t = performance.now();
        await searchNicks(store, accounts, APP, q, 20, page.next);
        second.push(performance.now() - t);
      }
    }
    const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(2) : '–');
    console.log(`${q.padEnd(22)}${String(hits).padStart(4)}  ${median(first).padStart(8)} ${Math.max(...first).toFixed(2).padStart(8)}              ${median(second).padStart(8)}`);
  }
  await store.close();
  if (PG) await dropSchema(schema);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
