/**
 * The judges of the fault benches (bench/faults/): the chaos verdict must see every kind of
 * fault it reports, or its zeros mean nothing; the fuzz judge must see 5xx and internal errors;
 * a case must be the same whenever it is generated, or a printed seed reproduces nothing.
 */
import { expect } from 'chai';
import type { SendRecord, Stream } from '../../../bench/faults/chaos-load';
import { emptyVerdict, judgeStream, type Stored } from '../../../bench/faults/chaos-verify';
import { judgeHttp, type HttpCase } from '../../../bench/faults/fuzz-rest';
import { mutateMany, sizeWithin } from '../../../bench/faults/fuzz-values';
import { caseRng, Rng } from '../../../bench/faults/prng';

function stream(sends: Partial<SendRecord>[]): Stream {
  const records = sends.map((s, i): SendRecord => ({ random: i + 1, from: 'a', attempts: 1, firstAttemptAt: 0, ...s }));
  return { id: 's', kind: 'c2c', via: 'rest', users: ['a', 'b'], sends: new Map(records.map((r) => [r.random, r])) };
}

const judged = (s: Stream, stored: Stored[]) => {
  const v = emptyVerdict();
  judgeStream(s, stored, v);
  return v;
};

describe('chaos verdict', () => {
  it('finds nothing wrong when every acknowledged send is stored once under its sequence', () => {
    const v = judged(stream([{ ackedAt: 1, ackSeq: 1 }, { ackedAt: 1, ackSeq: 2 }]), [
      { seq: 1, random: 1 },
      { seq: 2, random: 2 },
    ]);
    expect(v).to.include({ sent: 2, acked: 2, lost: 0, duplicated: 0, gaps: 0 });
  });

  it('counts an acknowledged send missing from the store as lost', () => {
    expect(judged(stream([{ ackedAt: 1, ackSeq: 1 }, { ackedAt: 1, ackSeq: 2 }]), [{ seq: 1, random: 1 }])).to.include({ lost: 1 });
  });

  it('counts an acknowledged send stored under another sequence than acknowledged as lost', () => {
    expect(judged(stream([{ ackedAt: 1, ackSeq: 2 }]), [{ seq: 1, random: 1 }])).to.include({ lost: 1 });
  });

  it('counts one send stored twice as a duplicate', () => {
    expect(judged(stream([{ ackedAt: 1, ackSeq: 1 }]), [
      { seq: 1, random: 1 },
      { seq: 2, random: 1 },
    ])).to.include({ duplicated: 1, lost: 0 });
  });

  it('counts missing and repeated sequences as gaps', () => {
    expect(judged(stream([]), [{ seq: 1, random: 7 }, { seq: 3, random: 8 }]).gaps).to.equal(1);
    expect(judged(stream([]), [{ seq: 1, random: 7 }, { seq: 1, random: 8 }]).gaps).to.equal(1);
  });

  it('does not count an unacknowledged send as lost, stored or not', () => {
    expect(judged(stream([{}, {}]), [{ seq: 1, random: 1 }])).to.include({ lost: 0, unacked: 2, storedUnacked: 1 });
  });
});

describe('fuzz judge', () => {
  const rest = { kind: 'rest-body', method: 'POST', path: '/v4/x/y', headers: {}, command: { name: 'x/y', schema: {}, internalCode: 90994 }, note: '' } as HttpCase;
  const envelope = (ErrorCode: number, ErrorInfo = '') => JSON.stringify({ ActionStatus: ErrorCode ? 'FAIL' : 'OK', ErrorCode, ErrorInfo });
  const judge = (status: number, text: string) => judgeHttp(rest, { status, text }, () => undefined);

  it('passes refusals and successes', () => {
    expect(judge(200, envelope(90001, 'invalid request'))).to.equal(undefined);
    expect(judge(200, envelope(0))).to.equal(undefined);
    expect(judge(404, 'Not found')).to.equal(undefined);
  });

  it('fails a 5xx, the command’s internal code, 70500 and an "internal error" text', () => {
    expect(judge(502, 'Bad gateway')).to.match(/^HTTP 502/);
    expect(judge(200, envelope(90994, 'boom'))).to.match(/internal-error code 90994/);
    expect(judge(200, envelope(70500, 'boom'))).to.match(/internal-error code 70500/);
    expect(judge(200, envelope(10002, 'internal error (request Id-1)'))).to.match(/^internal error/);
  });
});

describe('fuzz generation', () => {
  it('generates the same case from the same seed and index, and another from the next index', () => {
    const draw = (r: Rng) => Array.from({ length: 5 }, () => r.int(0, 1e9));
    expect(draw(caseRng(42, 7))).to.deep.equal(draw(caseRng(42, 7)));
    expect(draw(caseRng(42, 7))).to.not.deep.equal(draw(caseRng(42, 8)));
  });

  it('keeps mutated bodies small enough for the bench to send, however often arrays are blown up', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 50; i++) {
      const { body } = mutateMany(rng, { List: [['a', 'b'], 'c'], Name: 'n' }, { users: ['u1'], groups: ['g1'] }, 6);
      expect(sizeWithin(body, 2 * 1024 * 1024)).to.equal(true);
    }
  });
});
