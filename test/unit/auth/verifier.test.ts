import { expect } from 'chai';
import { genUserSig, UserSigErrorCode } from '../../../services/auth/usersig';
import { SigVerifier } from '../../../services/auth/verifier';

const APP = 1400000001;
const OTHER_APP = 1400000002;
const KEY = 'verifier-test-key-0123456789abcdef';
const NEW_KEY = 'verifier-test-key-rotated-fedcba98';
const T0 = 1_700_000_000;
const EXPIRE = 600;

/** A verifier over a mutable key table, counting its kick look-ups (each is a full check). */
function setup() {
  const keys = new Map<number, string>([
    [APP, KEY],
    [OTHER_APP, KEY],
  ]);
  const kicks = new Map<string, number>();
  let fullChecks = 0;
  const verifier = new SigVerifier(
    { get: (app) => (keys.has(app) ? { secretKey: keys.get(app)! } : undefined) },
    async (app, id) => {
      fullChecks++;
      return kicks.get(`${app}:${id}`) ?? 0;
    },
  );
  return { verifier, keys, kicks, fullChecks: () => fullChecks };
}

const sigOf = (identifier: string, now = T0, sdkAppId = APP, secretKey = KEY) => genUserSig({ sdkAppId, secretKey, identifier, expireSeconds: EXPIRE, now });
const at = (sec: number) => sec * 1000;

describe('the node-local UserSig cache', () => {
  it('answers a repeated sig from the cache, without a second full check', async () => {
    const { verifier, fullChecks } = setup();
    const sig = sigOf('admin');
    expect(await verifier.verify(APP, 'admin', sig, at(T0 + 1))).to.deep.equal({ ok: true, expiresAt: T0 + EXPIRE });
    expect(verifier.cached(APP, 'admin', sig, at(T0 + 2))).to.deep.equal({ ok: true, expiresAt: T0 + EXPIRE });
    expect(await verifier.verify(APP, 'admin', sig, at(T0 + 3))).to.deep.equal({ ok: true, expiresAt: T0 + EXPIRE });
    expect(fullChecks()).to.equal(1);
  });

  it('refuses a cached sig once it has expired, and keeps refusing it', async () => {
    const { verifier } = setup();
    const sig = sigOf('admin');
    expect((await verifier.verify(APP, 'admin', sig, at(T0 + 1))).ok).to.equal(true);
    // Tencent's last valid second is time + expire itself.
    expect(verifier.cached(APP, 'admin', sig, at(T0 + EXPIRE))?.ok).to.equal(true);
    expect(verifier.cached(APP, 'admin', sig, at(T0 + EXPIRE + 1))).to.include({ ok: false, code: UserSigErrorCode.EXPIRED });
    expect(await verifier.verify(APP, 'admin', sig, at(T0 + EXPIRE + 1))).to.include({ ok: false, code: UserSigErrorCode.EXPIRED });
  });

  it('refuses a cached sig after the app key rotates, even before the cache is told to forget', async () => {
    const { verifier, keys } = setup();
    const sig = sigOf('admin');
    expect((await verifier.verify(APP, 'admin', sig, at(T0 + 1))).ok).to.equal(true);
    keys.set(APP, NEW_KEY);
    expect(verifier.cached(APP, 'admin', sig, at(T0 + 2))).to.equal(undefined);
    expect(await verifier.verify(APP, 'admin', sig, at(T0 + 2))).to.include({ ok: false, code: UserSigErrorCode.SIGNATURE_MISMATCH });
    // A sig made with the new key is accepted, and the old one stays refused.
    expect((await verifier.verify(APP, 'admin', sigOf('admin', T0, APP, NEW_KEY), at(T0 + 3))).ok).to.equal(true);
    expect((await verifier.verify(APP, 'admin', sig, at(T0 + 3))).ok).to.equal(false);
  });

  it('refuses a sig cached for one identifier when presented for another', async () => {
    const { verifier } = setup();
    const sig = sigOf('admin');
    expect((await verifier.verify(APP, 'admin', sig, at(T0 + 1))).ok).to.equal(true);
    expect(verifier.cached(APP, 'mallory', sig, at(T0 + 2))).to.equal(undefined);
    expect(await verifier.verify(APP, 'mallory', sig, at(T0 + 2))).to.include({ ok: false, code: UserSigErrorCode.IDENTIFIER_MISMATCH });
    // The rightful holder's entry is untouched.
    expect(verifier.cached(APP, 'admin', sig, at(T0 + 3))?.ok).to.equal(true);
  });

  it('refuses a sig cached for one app when presented for another app with the same key', async () => {
    const { verifier } = setup();
    const sig = sigOf('admin');
    expect((await verifier.verify(APP, 'admin', sig, at(T0 + 1))).ok).to.equal(true);
    expect(await verifier.verify(OTHER_APP, 'admin', sig, at(T0 + 2))).to.include({ ok: false, code: UserSigErrorCode.SDKAPPID_MISMATCH });
  });

  it('checks a cached sig afresh after the user is kicked, refusing one issued before the kick', async () => {
    const { verifier, kicks } = setup();
    const sig = sigOf('admin');
    expect((await verifier.verify(APP, 'admin', sig, at(T0 + 1))).ok).to.equal(true);
    kicks.set(`${APP}:admin`, at(T0 + 5));
    verifier.forgetUser(APP, 'admin');
    expect(verifier.cached(APP, 'admin', sig, at(T0 + 6))).to.equal(undefined);
    expect(await verifier.verify(APP, 'admin', sig, at(T0 + 6))).to.include({ ok: false, code: UserSigErrorCode.EXPIRED });
    expect((await verifier.verify(APP, 'admin', sigOf('admin', T0 + 5), at(T0 + 6))).ok).to.equal(true);
  });

  it('forgets everything on forgetAll', async () => {
    const { verifier, fullChecks } = setup();
    const sig = sigOf('admin');
    await verifier.verify(APP, 'admin', sig, at(T0 + 1));
    verifier.forgetAll();
    expect(verifier.cached(APP, 'admin', sig, at(T0 + 2))).to.equal(undefined);
    expect((await verifier.verify(APP, 'admin', sig, at(T0 + 2))).ok).to.equal(true);
    expect(fullChecks()).to.equal(2);
  });

  it('stays within its bound, evicting the oldest sig first', async () => {
    const keys = { get: () => ({ secretKey: KEY }) };
    const verifier = new SigVerifier(keys, async () => 0, 2);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => sigOf(id));
    await verifier.verify(APP, 'a', a, at(T0 + 1));
    await verifier.verify(APP, 'b', b, at(T0 + 1));
    await verifier.verify(APP, 'c', c, at(T0 + 1));
    expect(verifier.cached(APP, 'a', a, at(T0 + 2))).to.equal(undefined);
    expect(verifier.cached(APP, 'b', b, at(T0 + 2))?.ok).to.equal(true);
    expect(verifier.cached(APP, 'c', c, at(T0 + 2))?.ok).to.equal(true);
  });
});
