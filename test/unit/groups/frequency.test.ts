import { expect } from 'chai';
import { FrequencyGate } from '../../../services/groups/frequency';

const SECOND = 1_700_000_000_000;
const HIGH = 1;
const NORMAL = 2;
const LOW = 3;

describe('group frequency control', () => {
  const gate = (limit: number) => new FrequencyGate(() => limit);
  const admitted = (g: FrequencyGate, priority: number, n: number, at = SECOND, key = 'app:g') =>
    Array.from({ length: n }, () => g.admit(key, priority, at)).filter(Boolean).length;

  it('lets 40 messages a second through by default and drops the rest', () => {
    expect(admitted(gate(40), HIGH, 60)).to.equal(40);
  });

  it('starts afresh every second', () => {
    const g = gate(40);
    admitted(g, HIGH, 60);
    expect(admitted(g, HIGH, 10, SECOND + 1000)).to.equal(10);
  });

  it('keeps room for higher priorities when lower ones flood', () => {
    const g = gate(40);
    expect(admitted(g, LOW, 100)).to.equal(28);
    expect(admitted(g, NORMAL, 100)).to.equal(36 - 28);
    expect(admitted(g, HIGH, 100)).to.equal(40 - 36);
  });

  it('counts each group on its own', () => {
    const g = gate(2);
    expect(admitted(g, HIGH, 5, SECOND, 'app:a')).to.equal(2);
    expect(admitted(g, HIGH, 5, SECOND, 'app:b')).to.equal(2);
  });

  it('is off with a limit of 0', () => {
    expect(admitted(gate(0), LOW, 500)).to.equal(500);
  });
});
