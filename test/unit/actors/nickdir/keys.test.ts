/** Index keys of the nick directory: one per prefix of the folded nick, up to MAX_PREFIX characters. */
import { expect } from 'chai';
import { foldNick, MAX_PREFIX, nickKeys, prefixKey, queryKey } from '../../../../actors/nickdir/keys';

describe('nick directory keys', () => {
  it('folds case, width and spacing, so a search ignores them', () => {
    expect(foldNick('  Ｎｉｎａ   SIMONE ')).to.equal('nina simone');
  });

  it('files a nick under the key of each of its prefixes', () => {
    const keys = nickKeys('Nina');
    expect(keys).to.deep.equal(['n', 'ni', 'nin', 'nina'].map(prefixKey));
    expect(keys).to.include(queryKey(foldNick('NI')));
    expect(keys).to.not.include(queryKey('na'));
  });

  it('stops at MAX_PREFIX characters, and looks a longer query up by its first ones', () => {
    const nick = 'abcdefghijklmnopqrstuvwxyz';
    expect(nickKeys(nick)).to.have.length(MAX_PREFIX);
    expect(nickKeys(nick)).to.include(queryKey('abcdefghijklmnopqrst'));
  });

  it('counts characters, not UTF-16 units, and makes integers the index columns hold exactly', () => {
    expect(nickKeys('😀😀')).to.have.length(2);
    for (const key of nickKeys('Zoë')) expect(Number.isSafeInteger(key) && key >= 0).to.equal(true);
  });
});
