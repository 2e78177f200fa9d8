/**
 * Profiles through the REST API: every standard field's type and limit, the app's custom
 * fields and their permissions, and the 40xxx code of each kind of bad input.
 */
import { expect } from 'chai';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';

const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });

describe('REST profiles (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  const set = (ProfileItem: { Tag: string; Value: unknown }[], From_Account = 'alice') => rest.call('profile/portrait_set', { From_Account, ProfileItem });
  const get = async (TagList: string[], To_Account = ['alice']) => {
    const a = await rest.call('profile/portrait_get', { To_Account, TagList });
    ok(a);
    return (a.UserProfileItem as { ProfileItem: { Tag: string; Value: unknown }[] }[])[0].ProfileItem;
  };

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'profiles'] });
    rest = adminRest(server);
    const profileFields = [
      { keyword: 'Hobby', type: 'string', read: ['user', 'admin'], write: ['user', 'admin'] },
      { keyword: 'Secret', type: 'bytes', read: ['admin'], write: ['admin'] },
    ];
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { relations: { profileFields } } });
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob'] }));
  });
  after(() => server?.stop());

  it('sets and reads every standard field with its type', async () => {
    const items = [
      { Tag: 'Tag_Profile_IM_Nick', Value: 'Alice' },
      { Tag: 'Tag_Profile_IM_Gender', Value: 'Gender_Type_Female' },
      { Tag: 'Tag_Profile_IM_BirthDay', Value: 20190419 },
      { Tag: 'Tag_Profile_IM_Location', Value: '1234' },
      { Tag: 'Tag_Profile_IM_SelfSignature', Value: 'hi' },
      { Tag: 'Tag_Profile_IM_AllowType', Value: 'AllowType_Type_AllowAny' },
      { Tag: 'Tag_Profile_IM_Language', Value: 2 },
      { Tag: 'Tag_Profile_IM_Image', Value: 'https://x/a.png' },
      { Tag: 'Tag_Profile_IM_MsgSettings', Value: 1 },
      { Tag: 'Tag_Profile_IM_AdminForbidType', Value: 'AdminForbid_Type_None' },
      { Tag: 'Tag_Profile_IM_Level', Value: 7 },
      { Tag: 'Tag_Profile_IM_Role', Value: 3 },
    ];
    ok(await set(items));
    expect(await get(items.map((i) => i.Tag))).to.deep.equal(items);
  });

  it('stores custom fields the app configured', async () => {
    ok(await set([{ Tag: 'Tag_Profile_Custom_Hobby', Value: 'chess' }, { Tag: 'Tag_Profile_Custom_Secret', Value: 's3' }]));
    expect(await get(['Tag_Profile_Custom_Hobby', 'Tag_Profile_Custom_Secret'])).to.deep.equal([
      { Tag: 'Tag_Profile_Custom_Hobby', Value: 'chess' },
      { Tag: 'Tag_Profile_Custom_Secret', Value: 's3' },
    ]);
  });

  const refusals: [string, { Tag: string; Value: unknown }, number][] = [
    ['an unknown tag', { Tag: 'Tag_Profile_IM_Mood', Value: 'x' }, 40009],
    ['an unconfigured custom tag', { Tag: 'Tag_Profile_Custom_Nope', Value: 'x' }, 40009],
    ['a string for an integer field', { Tag: 'Tag_Profile_IM_Level', Value: '7' }, 40610],
    ['a number for a string field', { Tag: 'Tag_Profile_IM_Nick', Value: 7 }, 40610],
    ['a negative integer', { Tag: 'Tag_Profile_IM_Role', Value: -1 }, 40605],
    ['an integer over 32 bits', { Tag: 'Tag_Profile_IM_BirthDay', Value: 2 ** 32 }, 40605],
    ['a gender outside its values', { Tag: 'Tag_Profile_IM_Gender', Value: 'Gender_Type_Other' }, 40605],
    ['an AllowType outside its values', { Tag: 'Tag_Profile_IM_AllowType', Value: 'Anyone' }, 40605],
    ['a nick over 500 bytes', { Tag: 'Tag_Profile_IM_Nick', Value: 'é'.repeat(251) }, 40601],
    ['a location over 16 bytes', { Tag: 'Tag_Profile_IM_Location', Value: 'x'.repeat(17) }, 40601],
    ['a custom value over 500 bytes', { Tag: 'Tag_Profile_Custom_Hobby', Value: 'x'.repeat(501) }, 40601],
  ];
  for (const [what, item, code] of refusals) {
    it(`refuses ${what} with ${code} and changes nothing`, async () => {
      const before = await get([]);
      const answer = await set([{ Tag: 'Tag_Profile_IM_SelfSignature', Value: 'changed?' }, item]);
      expect(answer.ErrorCode).to.equal(code);
      expect(await get([])).to.deep.equal(before);
    });
  }

  it('accepts a nick of exactly 500 bytes', async () => {
    ok(await set([{ Tag: 'Tag_Profile_IM_Nick', Value: 'é'.repeat(250) }], 'bob'));
  });

  it('answers 40003 for an account that does not exist', async () => {
    expect((await set([{ Tag: 'Tag_Profile_IM_Nick', Value: 'x' }], 'ghost')).ErrorCode).to.equal(40003);
    expect((await rest.call('profile/portrait_get', { To_Account: ['ghost'], TagList: ['Tag_Profile_IM_Nick'] })).ErrorCode).to.equal(40003);
  });

  it('answers 40009 when reading an unknown tag', async () => {
    expect((await rest.call('profile/portrait_get', { To_Account: ['alice'], TagList: ['Tag_Profile_IM_Mood'] })).ErrorCode).to.equal(40009);
  });
});
