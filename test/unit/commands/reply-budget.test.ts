import { expect } from 'chai';
import { fitting, jsonBytes, REPLY_BUDGET_BYTES } from '../../../services/commands/reply-budget';
import { parseCookie } from '../../../services/inboxes/sync';

describe('replies bounded in bytes', () => {
  const item = (bytes: number) => ({ Text: 'x'.repeat(bytes - 11) }); // {"Text":"…"}: 11 bytes around the text

  it('keeps every item that fits, in order', () => {
    const items = [item(1000), item(2000), item(3000)];
    expect(fitting(items)).to.deep.equal(items);
  });

  it('ends a page before the item that would overflow the budget', () => {
    const items = Array.from({ length: 30 }, () => item(11_000));
    const kept = fitting(items);
    expect(kept).to.have.length(23); // 23 × 11,001 bytes (with the commas) fit in 256 KiB, 24 do not
    expect(jsonBytes(kept)).to.be.at.most(REPLY_BUDGET_BYTES);
    expect(jsonBytes(items.slice(0, kept.length + 1))).to.be.above(REPLY_BUDGET_BYTES);
  });

  it('always keeps the first item, so that a page moves on', () => {
    expect(fitting([item(500), item(500)], 100)).to.have.length(1);
  });

  it('counts bytes, not characters', () => {
    expect(jsonBytes('é')).to.equal(4);
  });
});

describe('getmsg cookies', () => {
  it('reads a plain feed version, a catching-up cookie, and anything else as a fresh device', () => {
    expect(parseCookie('42')).to.deep.equal({ kind: 'after', after: 42 });
    expect(parseCookie('17:42')).to.deep.equal({ kind: 'catchUp', after: 17, head: 42 });
    for (const odd of [undefined, '', '42:17', 'x', '1:2:3', '9'.repeat(16), '-1']) expect(parseCookie(odd), String(odd)).to.deep.equal({ kind: 'fresh' });
  });
});
