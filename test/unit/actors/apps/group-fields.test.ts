/**
 * The groups section of an app's settings with custom fields: what is accepted, what is refused,
 * and the defaults an app stored before the fields existed reads.
 */
import { expect } from 'chai';
import { DEFAULT_SETTINGS, groupSettings, mergeSettings, SettingsError } from '../../../../actors/apps/settings/app-settings';

const field = (key: string, extra: object = {}) => ({ key, read: 'Member', write: 'Owner', ...extra });

describe('settings: custom group and member fields', () => {
  it('accepts group and member fields and keeps the rest of the groups section', () => {
    const merged = mergeSettings(DEFAULT_SETTINGS, { groups: { groupFields: [field('Level')], memberFields: [field('Rank', { selfRead: true, selfWrite: false, types: ['Public', 'Work'] })] } });
    expect(merged.groups.messagesPerSecond).to.equal(40);
    expect(merged.groups.groupFields).to.deep.equal([field('Level')]);
    expect(merged.groups.memberFields?.[0]).to.include({ key: 'Rank', selfWrite: false });
  });

  const refused: [string, object][] = [
    ['an eleventh group field', { groupFields: Array.from({ length: 11 }, (_, i) => field(`K${i}`)) }],
    ['a sixth member field', { memberFields: Array.from({ length: 6 }, (_, i) => field(`K${i}`)) }],
    ['a key of 16 characters', { groupFields: [field('K'.repeat(16))] }],
    ['a key with a dash', { groupFields: [field('a-b')] }],
    ['an unknown level', { groupFields: [field('Level', { read: 'Everyone' })] }],
    ['self rules on a group field', { groupFields: [field('Level', { selfRead: true })] }],
    ['member fields for AVChatRoom', { memberFields: [field('Rank', { types: ['AVChatRoom'] })] }],
  ];
  for (const [name, groups] of refused) {
    it(`refuses ${name}`, () => {
      expect(() => mergeSettings(DEFAULT_SETTINGS, { groups })).to.throw(SettingsError);
    });
  }

  it('gives an app stored before custom fields existed the defaults, and no fields', () => {
    const old = { groups: { messagesPerSecond: 10, recallSeconds: 60 } };
    expect(groupSettings(old)).to.deep.equal({ messagesPerSecond: 10, recallSeconds: 60 });
    expect(groupSettings({}).groupFields).to.equal(undefined);
    expect(mergeSettings({ ...DEFAULT_SETTINGS, ...old }, { groups: { recallSeconds: 30 } }).groups).to.deep.equal({ messagesPerSecond: 10, recallSeconds: 30 });
  });
});
