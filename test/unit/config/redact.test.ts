import { expect } from 'chai';
import { maskUrl, maskUrls } from '../../../config/redact';

describe('masking credentials in URLs (config/redact)', () => {
  const cases: [string, string][] = [
    ['postgres://parley:hunter2@db.example:5432/parley', 'postgres://parley:***@db.example:5432/parley'],
    ['redis://:hunter2@127.0.0.1:6379', 'redis://:***@127.0.0.1:6379'],
    ['nats://parley:hunter2@127.0.0.1:4222', 'nats://parley:***@127.0.0.1:4222'],
    ['nats://hunter2@127.0.0.1:4222', 'nats://***@127.0.0.1:4222'],
    ['postgres://postgres@127.0.0.1:5432/test', 'postgres://postgres@127.0.0.1:5432/test'],
    ['postgres://u:hunter2@h/db?sslmode=require&password=hunter2', 'postgres://u:***@h/db?sslmode=require&password=***'],
    ['redis://u:hun@ter/2@h:1/0', 'redis://u:***@h:1/0'],
    ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4222'],
  ];
  for (const [url, shown] of cases) {
    it(`shows ${url} as ${shown}`, () => expect(maskUrl(url)).to.equal(shown));
  }

  it('leaves text that is not a URL alone', () => {
    expect(maskUrl('PARLEY_DB')).to.equal('PARLEY_DB');
  });

  it('masks every URL inside a message and keeps the rest of it', () => {
    const text = 'Redis at redis://:hunter2@h:1 is unreachable; NATS "nats://a:hunter2@n:4222" too (postgres://p:hunter2@d/db).';
    const masked = maskUrls(text);
    expect(masked).to.not.include('hunter2');
    expect(masked).to.equal('Redis at redis://:***@h:1 is unreachable; NATS "nats://a:***@n:4222" too (postgres://p:***@d/db).');
  });
});
