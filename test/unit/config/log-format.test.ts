/** PARLEY_LOG_FORMAT: readable lines by default, JSON lines for log collectors. */
import { expect } from 'chai';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../../../config';
import { brokerOptions } from '../../../moleculer.config';

function captured(format: string | undefined, write: (broker: ServiceBroker) => void): string[] {
  const lines: string[] = [];
  const original = console.log;
  const env = { PARLEY_LOG_LEVEL: 'info', ...(format ? { PARLEY_LOG_FORMAT: format } : {}) };
  // Moleculer's console logger prints info lines with console.log.
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    write(new ServiceBroker({ ...brokerOptions(loadConfig(env)), middlewares: [] }));
  } finally {
    console.log = original;
  }
  return lines;
}

describe('log format', () => {
  it('writes one JSON object per line with PARLEY_LOG_FORMAT=json', () => {
    const lines = captured('json', (broker) => broker.getLogger('test').info('hello', { n: 1 }));
    const entry = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(entry).to.include({ level: 'info', mod: 'test' });
    expect(String(entry.msg)).to.contain('hello');
    expect(entry.ts).to.be.a('number');
  });

  it('writes readable lines by default', () => {
    const lines = captured(undefined, (broker) => broker.getLogger('test').info('hello'));
    expect(lines.at(-1)).to.match(/INFO .*hello/);
    expect(() => JSON.parse(lines.at(-1)!)).to.throw();
  });

  it('refuses a format it does not know', () => {
    expect(() => loadConfig({ PARLEY_LOG_FORMAT: 'xml' })).to.throw(/PARLEY_LOG_FORMAT must be text or json/);
  });
});
