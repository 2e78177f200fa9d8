/**
 * Paging of a live room's online list (get_members): newest first, 250 a page, the 1,000 newest
 * at most, NextTimestamp the entry time the next page starts before, 0 at the end.
 */
import { expect } from 'chai';
import { MEMBERS_LISTED, MEMBERS_PAGE, membersPage } from '../../../services/groups/live-members';

const room = (n: number, at: (i: number) => number) => new Map(Array.from({ length: n }, (_, i) => [`u${i}`, at(i)] as [string, number]));

/** Every page from the first, as get_members' caller walks them. */
function walk(all: Map<string, number>): [string, number][][] {
  const pages: [string, number][][] = [];
  let before = 0;
  do {
    const { page, next } = membersPage(all, before);
    pages.push(page);
    before = next;
  } while (before !== 0);
  return pages;
}

describe('live room online list paging', () => {
  it('answers a small room in one page, newest first, with NextTimestamp 0', () => {
    const { page, next } = membersPage(room(3, (i) => 1000 + i), 0);
    expect(page.map(([u]) => u)).to.deep.equal(['u2', 'u1', 'u0']);
    expect(next).to.equal(0);
  });

  it('pages a large room in pages of 250 and lists only the 1,000 newest, each once', () => {
    const pages = walk(room(1200, (i) => 1_000_000 + i));
    expect(pages.map((p) => p.length)).to.deep.equal([MEMBERS_PAGE, MEMBERS_PAGE, MEMBERS_PAGE, MEMBERS_PAGE]);
    const listed = pages.flat().map(([u]) => u);
    expect(new Set(listed).size).to.equal(MEMBERS_LISTED);
    expect(listed[0]).to.equal('u1199');
    expect(listed).to.not.include('u199');
  });

  it('never splits viewers who entered in the same millisecond across pages', () => {
    // 300 viewers: 240 distinct times, then 60 who all entered at once, straddling the page end.
    const pages = walk(room(300, (i) => (i < 60 ? 5 : 100 + i)));
    expect(pages.flat().length).to.equal(300);
    expect(new Set(pages.flat().map(([u]) => u)).size).to.equal(300);
    expect(pages[0].length).to.equal(300);
  });
});
