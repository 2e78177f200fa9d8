import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { CodecError, EventCodec } from '../../../schemas/codec';

const FIXTURES = path.join(__dirname, '../../fixtures/schemas');

/** Bytes of `{ by: 3, total: 42 }` as written by the first schema (archive/Increased.v1.avsc). Never regenerate. */
const V1_FINGERPRINT = '9f9c3ab8650d936a750fd19da7e704ed';
const V1_PAYLOAD = Buffer.from('0654', 'hex');

describe('Avro event codec', () => {
  const codec = EventCodec.fromDirectory(FIXTURES);

  it('round-trips an event through its current schema', () => {
    const { fingerprint, data } = codec.encode('parley.fixture.Added', { by: 5, total: 9, note: 'x' });
    expect({ ...(codec.decode('parley.fixture.Added', fingerprint, data) as object) }).to.deep.equal({ by: 5, total: 9, note: 'x' });
  });

  it('decodes an event written with an older schema under its old name, filling new fields with defaults', () => {
    expect({ ...(codec.decode('parley.fixture.Increased', V1_FINGERPRINT, V1_PAYLOAD) as object) }).to.deep.equal({ by: 3, total: 42, note: '' });
  });

  it('learns a writer schema kept in the store and decodes with it', () => {
    const old = codec.schemas().find((s) => s.fingerprint === V1_FINGERPRINT)!;
    const withoutArchive = new EventCodec([JSON.parse(fs.readFileSync(path.join(FIXTURES, 'counter/Added.avsc'), 'utf8'))]);
    expect(() => withoutArchive.decode('parley.fixture.Added', V1_FINGERPRINT, V1_PAYLOAD)).to.throw(CodecError, /unknown writer/);
    withoutArchive.addWriter(old);
    expect(withoutArchive.decode('parley.fixture.Added', V1_FINGERPRINT, V1_PAYLOAD)).to.include({ by: 3, total: 42 });
  });

  it('refuses a stored schema whose text does not match its fingerprint', () => {
    const fresh = EventCodec.fromDirectory(FIXTURES);
    const record = { fingerprint: '0'.repeat(32), name: 'parley.fixture.Added', schema: fresh.schemas()[0].schema };
    expect(() => fresh.addWriter(record)).to.throw(CodecError, /does not match its fingerprint/);
  });

  it('refuses to encode a value that does not match the schema, naming the field', () => {
    expect(() => codec.encode('parley.fixture.Added', { by: 'three', total: 1 })).to.throw(CodecError, /by/);
  });

  it('refuses to encode an event type it has no schema for', () => {
    expect(() => codec.encode('parley.fixture.Nope', {})).to.throw(CodecError, /no schema/);
  });

  it('reports truncated bytes as a decode error rather than returning garbage', () => {
    const { fingerprint, data } = codec.encode('parley.fixture.Added', { by: 5, total: 9, note: 'hello' });
    expect(() => codec.decode('parley.fixture.Added', fingerprint, data.subarray(0, 3))).to.throw(CodecError, /cannot decode/);
  });

  it('stores a different fingerprint for each schema version', () => {
    const fingerprints = codec.schemas().map((s) => s.fingerprint);
    expect(new Set(fingerprints).size).to.equal(fingerprints.length);
    expect(fingerprints).to.include(V1_FINGERPRINT);
  });

  describe('index declarations ("parley.index")', () => {
    const record = (index: unknown, fields: object[] = [{ name: 'seq', type: 'long' }, { name: 'seqs', type: { type: 'array', items: 'int' }, default: [] }, { name: 'note', type: 'string' }]) => ({
      type: 'record',
      name: 'parley.fixture.Filed',
      'parley.index': index,
      fields,
    });

    it('files an event under an integer field, each value of an array (once), and key 0 for "*" or an empty array', () => {
      const filed = new EventCodec([record({ seq: 'seq', many: 'seqs', wide: '*' })]);
      expect(filed.indexKeys('parley.fixture.Filed', { seq: 7, seqs: [3, 5, 3], note: '' })).to.deep.equal([
        { index: 'seq', key: 7 },
        { index: 'many', key: 3 },
        { index: 'many', key: 5 },
        { index: 'wide', key: 0 },
      ]);
      expect(filed.indexKeys('parley.fixture.Filed', { seq: 1, seqs: [], note: '' })).to.deep.include({ index: 'many', key: 0 });
      expect(filed.indexKeys('parley.fixture.Added', { by: 1, total: 1 })).to.deep.equal([]);
      expect(filed.indexSpecs().get('parley.fixture.Filed')).to.equal('{"seq":"seq","many":"seqs","wide":"*"}');
    });

    it('leaves the fingerprint as it was without the declaration', () => {
      const plain = new EventCodec([{ ...record({ seq: 'seq' }), 'parley.index': undefined }]);
      const filed = new EventCodec([record({ seq: 'seq' })]);
      expect(filed.schemas()[0].fingerprint).to.equal(plain.schemas()[0].fingerprint);
    });

    it('refuses a declaration naming a missing or non-integer field, or no index, and a negative key', () => {
      expect(() => new EventCodec([record({ seq: 'nope' })])).to.throw(CodecError, /no integer/);
      expect(() => new EventCodec([record({ seq: 'note' })])).to.throw(CodecError, /no integer/);
      expect(() => new EventCodec([record({})])).to.throw(CodecError, /names no index/);
      expect(() => new EventCodec([record(['seq'])])).to.throw(CodecError, /must map/);
      expect(() => new EventCodec([record({ 'Bad Name': 'seq' })])).to.throw(CodecError, /invalid index name/);
      expect(() => new EventCodec([record({ seq: 'seq' })]).indexKeys('parley.fixture.Filed', { seq: -1, seqs: [], note: '' })).to.throw(CodecError, /≥ 0/);
    });
  });
});
