import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { genUserSig, MAX_CLOCK_SKEW_SEC, verifyUserSig, UserSigErrorCode } from '../../../services/auth/usersig';

const SDK_APP_ID = 1400000001;
const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const USER = 'alice_01';
const T0 = 1700000000;
const EXPIRE = 86400;
const expectation = { sdkAppId: SDK_APP_ID, identifier: USER, secretKey: KEY, now: T0 + 60 };

function tencentBase64(data: Buffer): string {
  return data.toString('base64').replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

function decodeDoc(sig: string): Record<string, unknown> {
  const std = sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
  return JSON.parse(inflateSync(Buffer.from(std, 'base64')).toString('utf8')) as Record<string, unknown>;
}

/** HMAC computed straight from node:crypto, independent of the module under test. */
function signContent(key: string, userBuf?: Buffer): string {
  let content = `TLS.identifier:${USER}\nTLS.sdkappid:${SDK_APP_ID}\nTLS.time:${T0}\nTLS.expire:${EXPIRE}\n`;
  if (userBuf) content += `TLS.userbuf:${userBuf.toString('base64')}\n`;
  return createHmac('sha256', key).update(content).digest('base64');
}

type Shape = {
  order: string[];
  numbersAsStrings?: boolean;
  indent?: number;
  trailingNewline?: boolean;
  escapeSlashes?: boolean;
  level: number;
  userBuf?: Buffer;
};

/** Builds a sig by hand the way one of Tencent's official generators lays it out. */
function handMadeSig(shape: Shape, key = KEY): string {
  const num = (n: number): number | string => (shape.numbersAsStrings ? String(n) : n);
  const values: Record<string, unknown> = {
    'TLS.ver': '2.0',
    'TLS.identifier': USER,
    'TLS.sdkappid': num(SDK_APP_ID),
    'TLS.time': num(T0),
    'TLS.expire': num(EXPIRE),
    'TLS.sig': signContent(key, shape.userBuf),
  };
  if (shape.userBuf) values['TLS.userbuf'] = shape.userBuf.toString('base64');
  const doc: Record<string, unknown> = {};
  for (const k of shape.order) if (k in values) doc[k] = values[k];
  let json = JSON.stringify(doc, null, shape.indent);
  if (shape.escapeSlashes) json = json.replace(/\//g, '\\/');
  if (shape.trailingNewline) json += '\n';
  return tencentBase64(deflateSync(Buffer.from(json), { level: shape.level }));
}

function pythonStyleJson(doc: Record<string, unknown>): string {
  return '{' + Object.entries(doc).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ') + '}';
}

function sigFromJson(json: string): string {
  return tencentBase64(deflateSync(Buffer.from(json)));
}

const NODE_ORDER = ['TLS.ver', 'TLS.identifier', 'TLS.sdkappid', 'TLS.expire', 'TLS.time', 'TLS.userbuf', 'TLS.sig'];
const SCRAMBLED_ORDER = ['TLS.sig', 'TLS.time', 'TLS.userbuf', 'TLS.sdkappid', 'TLS.ver', 'TLS.expire', 'TLS.identifier'];

function issue(overrides: Partial<Parameters<typeof genUserSig>[0]> = {}): string {
  return genUserSig({ sdkAppId: SDK_APP_ID, secretKey: KEY, identifier: USER, expireSeconds: EXPIRE, now: T0, ...overrides });
}

describe('UserSig (TLSSigAPIv2)', () => {
  describe('generation', () => {
    it('signs the documented content string with HMAC-SHA256 of the key text', () => {
      const doc = decodeDoc(issue());
      const content = 'TLS.identifier:alice_01\nTLS.sdkappid:1400000001\nTLS.time:1700000000\nTLS.expire:86400\n';
      expect(doc['TLS.sig']).to.equal(createHmac('sha256', KEY).update(content).digest('base64'));
    });

    it('adds the base64 userbuf as a fifth signed line when a userbuf is given', () => {
      const userBuf = Buffer.from([0, 1, 2, 250, 251, 252]);
      const doc = decodeDoc(issue({ userBuf }));
      expect(doc['TLS.userbuf']).to.equal(userBuf.toString('base64'));
      expect(doc['TLS.sig']).to.equal(signContent(KEY, userBuf));
    });

    it('writes version 2.0 and the fields as JSON numbers', () => {
      expect(decodeDoc(issue())).to.deep.include({
        'TLS.ver': '2.0', 'TLS.identifier': USER, 'TLS.sdkappid': SDK_APP_ID, 'TLS.time': T0, 'TLS.expire': EXPIRE,
      });
    });

    it('produces the same bytes as the official Node generator layout', () => {
      expect(issue()).to.equal(handMadeSig({ order: NODE_ORDER, level: 6 }));
    });

    it('uses only the Tencent URL-safe alphabet', () => {
      const sigs = Array.from({ length: 20 }, (_, i) => issue({ now: T0 + i }));
      for (const sig of sigs) expect(sig).to.match(/^[A-Za-z0-9*_-]+$/);
    });
  });

  describe('verification of well-formed sigs', () => {
    it('accepts its own sig and reports the signed fields', () => {
      expect(verifyUserSig(issue(), expectation)).to.deep.equal({
        ok: true, identifier: USER, sdkAppId: SDK_APP_ID, time: T0, expire: EXPIRE, expiresAt: T0 + EXPIRE,
      });
    });

    it('returns the userbuf of a sig that carries one', () => {
      const userBuf = Buffer.from('room-42');
      const result = verifyUserSig(issue({ userBuf }), expectation);
      expect(result.ok && result.userBuf?.equals(userBuf)).to.equal(true);
    });

    it('still accepts a sig in the last second of its validity', () => {
      expect(verifyUserSig(issue(), { ...expectation, now: T0 + EXPIRE }).ok).to.equal(true);
    });

    const shapes: Array<[string, Shape]> = [
      ['Node layout at the default zlib level', { order: NODE_ORDER, level: 6 }],
      ['scrambled key order (Java JSONObject) at zlib level 9', { order: SCRAMBLED_ORDER, level: 9 }],
      ['pretty-printed JSON at zlib level 1', { order: NODE_ORDER, indent: 2, level: 1 }],
      ['numbers written as strings', { order: NODE_ORDER, numbersAsStrings: true, level: 6 }],
      ['escaped slashes (PHP json_encode)', { order: SCRAMBLED_ORDER, escapeSlashes: true, level: 9 }],
      ['Go layout: trailing newline, stored (level 0)', { order: NODE_ORDER, trailingNewline: true, level: 0 }],
      ['a userbuf at zlib level 1', { order: SCRAMBLED_ORDER, level: 1, userBuf: Buffer.from([1, 0, 8, 255]) }],
      ['a userbuf with numbers as strings at level 9',
        { order: NODE_ORDER, numbersAsStrings: true, level: 9, userBuf: Buffer.from('x') }],
    ];
    for (const [name, shape] of shapes) {
      it(`accepts a sig with ${name}`, () => {
        expect(verifyUserSig(handMadeSig(shape), expectation).ok).to.equal(true);
      });
    }

    it('accepts Python json.dumps spacing', () => {
      const doc = {
        'TLS.ver': '2.0', 'TLS.identifier': USER, 'TLS.sdkappid': SDK_APP_ID,
        'TLS.expire': EXPIRE, 'TLS.time': T0, 'TLS.sig': signContent(KEY),
      };
      expect(verifyUserSig(sigFromJson(pythonStyleJson(doc)), expectation).ok).to.equal(true);
    });
  });

  describe('verification failures', () => {
    const codeOf = (sig: string, overrides: Partial<typeof expectation> = {}): number | undefined => {
      const result = verifyUserSig(sig, { ...expectation, ...overrides });
      return result.ok ? undefined : result.code;
    };

    it('reports 70001 for a sig past time + expire', () => {
      expect(codeOf(issue(), { now: T0 + EXPIRE + 1 })).to.equal(UserSigErrorCode.EXPIRED).and.equal(70001);
    });

    it('reports 70001 for a sig issued further in the future than the allowed clock skew', () => {
      expect(codeOf(issue({ now: T0 + 60 + MAX_CLOCK_SKEW_SEC + 1 }))).to.equal(70001);
      expect(codeOf(issue({ now: T0 + 20 * 365 * 86400 }))).to.equal(70001);
    });

    it('accepts a sig issued ahead of the clock by no more than the allowed skew', () => {
      expect(verifyUserSig(issue({ now: T0 + 60 + MAX_CLOCK_SKEW_SEC }), expectation).ok).to.equal(true);
    });

    it('reports 70002 for an empty sig', () => {
      expect(codeOf('')).to.equal(70002);
    });

    it('reports 70003 for characters outside the base64 alphabet', () => {
      expect(codeOf('eJw!!not+base64')).to.equal(70003);
    });

    it('reports 70003 for a sig cut to a length base64 cannot have', () => {
      expect(codeOf(issue().slice(0, -3))).to.equal(70003);
    });

    it('reports 70003 for a sig cut short on a base64 boundary', () => {
      const sig = issue();
      expect(codeOf(sig.slice(0, Math.floor(sig.length / 8) * 4))).to.equal(70003);
    });

    it('reports 70003 for valid base64 that is not a zlib stream', () => {
      expect(codeOf(tencentBase64(Buffer.from('{"TLS.ver":"2.0"} plain, not deflated')))).to.equal(70003);
    });

    it('reports 70005 for a zlib stream that is not JSON', () => {
      expect(codeOf(sigFromJson('TLS.ver=2.0;TLS.identifier=alice_01'))).to.equal(70005);
    });

    it('reports 70005 for a document without TLS.sig', () => {
      expect(codeOf(handMadeSig({ order: NODE_ORDER.filter((k) => k !== 'TLS.sig'), level: 6 }))).to.equal(70005);
    });

    it('reports 70005 for a document of another version', () => {
      const doc = { ...decodeDoc(issue()), 'TLS.ver': '1.0' };
      expect(codeOf(sigFromJson(JSON.stringify(doc)))).to.equal(70005);
    });

    it('reports 70005 for a non-integer time', () => {
      const doc = { ...decodeDoc(issue()), 'TLS.time': 'soon' };
      expect(codeOf(sigFromJson(JSON.stringify(doc)))).to.equal(70005);
    });

    it('reports 70009 for a sig signed with another key', () => {
      expect(codeOf(handMadeSig({ order: NODE_ORDER, level: 6 }, 'some-other-apps-key'))).to.equal(70009);
    });

    it('reports 70009 when the expire field was raised after signing', () => {
      const doc = { ...decodeDoc(issue()), 'TLS.expire': EXPIRE * 1000 };
      expect(codeOf(sigFromJson(JSON.stringify(doc)))).to.equal(70009);
    });

    it('reports 70009 rather than 70001 for an expired sig under the wrong key', () => {
      expect(codeOf(issue({ secretKey: 'wrong' }), { now: T0 + EXPIRE + 1 })).to.equal(70009);
    });

    it('reports 70013 when the sig belongs to another user', () => {
      expect(codeOf(issue(), { identifier: 'bob' })).to.equal(70013);
    });

    it('reports 70014 when the sig belongs to another SDKAppID', () => {
      expect(codeOf(issue(), { sdkAppId: SDK_APP_ID + 1 })).to.equal(70014);
    });

    it('reports 70016 when no secret key is known', () => {
      expect(codeOf(issue(), { secretKey: '' })).to.equal(70016);
    });

    it('gives every failure kind its own code', () => {
      const codes = Object.values(UserSigErrorCode);
      expect(new Set(codes).size).to.equal(codes.length);
    });
  });
});
