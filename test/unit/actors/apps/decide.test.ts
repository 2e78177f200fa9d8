import { expect } from 'chai';
import { DEFAULT_SETTINGS } from '../../../../actors/apps/settings/app-settings';
import { DomainError } from '../../../../runtime/kind';
import { APP_CREATED, APP_NOT_FOUND, APP_UPDATED, appsKind, INVALID, type AppCommand, type AppEvent } from '../../../../actors/apps';

const NOW = 1_700_000_000_000;
const SECRET = 'a-secret-of-32-characters-length';
const settingsJson = (rateLimits = DEFAULT_SETTINGS.rateLimits) => JSON.stringify({ rateLimits });
const created = (sdkAppId = 1400000001, admins = ['admin'], settings = settingsJson()): AppEvent => ({
  type: APP_CREATED,
  data: { sdkAppId, secretKey: SECRET, admins, settings, createdAt: NOW - 1000 },
});
const create = (over: Partial<Extract<AppCommand, { op: 'create' }>> = {}): AppCommand => ({
  op: 'create',
  sdkAppId: 1400000002,
  secretKey: SECRET,
  admins: ['boss'],
  now: NOW,
  ...over,
});

const rateLimitsOf = (event: AppEvent) => (JSON.parse((event.data as { settings: string }).settings) as typeof DEFAULT_SETTINGS).rateLimits;
const stateOf = (events: AppEvent[]) => events.reduce(appsKind.evolve, appsKind.initialState('registry'));
const decide = (events: AppEvent[], command: AppCommand) => appsKind.decide(stateOf(events), command);
const refusal = (events: AppEvent[], command: AppCommand) => {
  try {
    decide(events, command);
  } catch (err) {
    expect(err).to.be.instanceOf(DomainError);
    return (err as DomainError).code;
  }
  throw new Error('the command was not refused');
};

describe('apps actor: decide', () => {
  describe('create', () => {
    it('creates an app with default settings', () => {
      const { events, reply } = decide([], create());
      expect(events).to.have.length(1);
      const { settings, ...data } = events[0].data as { settings: string };
      expect(events[0].type).to.equal(APP_CREATED);
      expect(data).to.deep.equal({ sdkAppId: 1400000002, secretKey: SECRET, admins: ['boss'], createdAt: NOW });
      expect(JSON.parse(settings)).to.deep.equal(DEFAULT_SETTINGS);
      expect(reply).to.deep.include({ created: true });
      expect((reply as { app: { settings: unknown } }).app.settings).to.deep.equal(DEFAULT_SETTINGS);
      expect(JSON.parse(settings)).to.deep.equal(DEFAULT_SETTINGS);
    });

    it('merges given settings over the defaults', () => {
      const { events } = decide([], create({ settings: { rateLimits: { account: 2 } } }));
      expect(rateLimitsOf(events[0])).to.deep.equal({ default: 200, account: 2 });
    });

    const refused: [string, Partial<Extract<AppCommand, { op: 'create' }>>][] = [
      ['an SDKAppID that already exists', { sdkAppId: 1400000001 }],
      ['an SDKAppID of zero', { sdkAppId: 0 }],
      ['an SDKAppID over 32 bits', { sdkAppId: 2 ** 32 }],
      ['a secret key under 16 characters', { secretKey: 'short' }],
      ['no administrator', { admins: [] }],
      ['more than 20 administrators', { admins: Array.from({ length: 21 }, (_, i) => `a${i}`) }],
      ['an administrator that is not a valid UserID', { admins: ['bad id'] }],
      ['settings that are not an object', { settings: 'fast' }],
      ['a rate limit of zero', { settings: { rateLimits: { default: 0 } } }],
      ['a rate limit that is not an integer', { settings: { rateLimits: { account: 1.5 } } }],
      ['an unknown setting', { settings: { colour: 'blue' } }],
    ];
    for (const [what, over] of refused) {
      it(`refuses ${what} with ${INVALID}`, () => {
        expect(refusal([created()], create(over))).to.equal(INVALID);
      });
    }
  });

  describe('ensureFirst', () => {
    const ensure: AppCommand = { op: 'ensureFirst', sdkAppId: 1400000009, secretKey: SECRET, admins: ['administrator'], now: NOW };

    it('creates the app when the registry is empty', () => {
      const { events, reply } = decide([], ensure);
      expect(events.map((e) => e.type)).to.deep.equal([APP_CREATED]);
      expect(reply).to.deep.include({ created: true });
    });

    it('records nothing and answers the existing app when there is one', () => {
      const { events, reply } = decide([created()], ensure);
      expect(events).to.deep.equal([]);
      expect(reply).to.deep.include({ created: false });
      expect((reply as { app: { sdkAppId: number } }).app.sdkAppId).to.equal(1400000001);
    });
  });

  describe('update', () => {
    it('changes only the given fields', () => {
      const { events } = decide([created()], { op: 'update', sdkAppId: 1400000001, admins: ['admin', 'second'] });
      expect(events).to.deep.equal([{ type: APP_UPDATED, data: { sdkAppId: 1400000001, secretKey: null, admins: ['admin', 'second'], settings: null } }]);
    });

    it('merges a settings patch over the current settings', () => {
      const history = [created(1400000001, ['admin'], settingsJson({ default: 5, account: 3 }))];
      const { events } = decide(history, { op: 'update', sdkAppId: 1400000001, settings: { rateLimits: { account: 7 } } });
      expect(rateLimitsOf(events[0])).to.deep.equal({ default: 5, account: 7 });
    });

    it('answers the app as it is after the update', () => {
      const { reply } = decide([created()], { op: 'update', sdkAppId: 1400000001, secretKey: 'another-secret-key-0001' });
      expect((reply as { app: { secretKey: string; admins: string[] } }).app).to.include({ secretKey: 'another-secret-key-0001' });
    });

    const refused: [string, AppEvent[], AppCommand, number][] = [
      ['an unknown SDKAppID', [created()], { op: 'update', sdkAppId: 1400000099, admins: ['x'] }, APP_NOT_FOUND],
      ['an empty registry', [], { op: 'update', sdkAppId: 1400000001 }, APP_NOT_FOUND],
      ['a short secret key', [created()], { op: 'update', sdkAppId: 1400000001, secretKey: 'short' }, INVALID],
      ['no administrators', [created()], { op: 'update', sdkAppId: 1400000001, admins: [] }, INVALID],
      ['invalid settings', [created()], { op: 'update', sdkAppId: 1400000001, settings: { rateLimits: { default: -1 } } }, INVALID],
    ];
    for (const [what, history, command, code] of refused) {
      it(`refuses ${what} with ${code}`, () => expect(refusal(history, command)).to.equal(code));
    }
  });

  describe('list', () => {
    it('answers every app, as evolved from its events, and records nothing', () => {
      const history = [created(1400000001), created(1400000002, ['b']), { type: APP_UPDATED, data: { sdkAppId: 1400000002, secretKey: null, admins: ['c'], settings: null } } as AppEvent];
      const { events, reply } = decide(history, { op: 'list' });
      expect(events).to.deep.equal([]);
      const apps = (reply as { apps: { sdkAppId: number; admins: string[] }[] }).apps;
      expect(apps.map((a) => [a.sdkAppId, a.admins])).to.deep.equal([
        [1400000001, ['admin']],
        [1400000002, ['c']],
      ]);
    });
  });
});
