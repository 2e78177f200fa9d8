import { expect } from 'chai';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../../../services/commands/json-depth';

const nested = (depth: number) => Buffer.from('{"a":'.repeat(depth - 1) + '[]' + '}'.repeat(depth - 1));

describe('JSON nesting bound (services/commands/json-depth)', () => {
  it('accepts JSON nested exactly to the bound', () => {
    expect(nestedDeeperThan(nested(MAX_JSON_DEPTH))).to.equal(false);
    expect(() => JSON.parse(nested(MAX_JSON_DEPTH).toString())).to.not.throw();
  });

  it('refuses JSON nested one level past the bound', () => {
    expect(nestedDeeperThan(nested(MAX_JSON_DEPTH + 1))).to.equal(true);
  });

  it('counts siblings as one level, not as nesting', () => {
    expect(nestedDeeperThan(Buffer.from(JSON.stringify(Array.from({ length: 1000 }, () => [[1], { a: [] }]))))).to.equal(false);
  });

  it('ignores brackets inside strings, escaped quotes and multi-byte text included', () => {
    const text = JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[\\" 你好 [[[', c: '\\\\' + '['.repeat(100) });
    expect(nestedDeeperThan(Buffer.from(text), 2)).to.equal(false);
    expect(nestedDeeperThan(Buffer.from(JSON.stringify({ a: [['x']] })), 2)).to.equal(true);
  });
});
