import { expect } from 'chai';
import { BAD_JSON, parseFrame } from '../../../services/connector/frames';
import { MAX_JSON_DEPTH } from '../../../services/commands/json-depth';

const frame = (body: string) => Buffer.from(`{"head":{"servcmd":"openim.sendmsg","seq":1},"body":${body}}`);
const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('SDK frame reader (services/connector/frames)', () => {
  it('reads a frame whose body nests within the bound', () => {
    const parsed = parseFrame(frame(`{"MsgBody":${deep(MAX_JSON_DEPTH - 2)}}`));
    expect(parsed.ok).to.equal(true);
  });

  it('refuses a frame nested thousands deep with the invalid-JSON code, before parsing it', () => {
    const parsed = parseFrame(frame(`{"MsgBody":${deep(5000)}}`));
    expect(parsed).to.include({ ok: false, code: BAD_JSON });
    expect(BAD_JSON).to.equal(60003);
  });
});
