/** Every event schema under schemas/ carries random values of its type through the codec unchanged. */
import { expect } from 'chai';
import avro from 'avsc';
import { EventCodec } from '../../../schemas/codec';
import { schemaFiles } from './schema-files';

/** Avro records decode as instances of generated classes; compare their plain JSON values. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const SAMPLES_PER_SCHEMA = 20;

describe('Avro schemas of stored events: round trip', () => {
  const codec = EventCodec.fromDirectory();
  const files = schemaFiles();

  it('finds the schemas by walking the schemas folder', () => {
    expect(files.filter((f) => !f.archived).map((f) => f.rel)).to.include.members(['c2c/MessageSent.avsc', 'group/MessageSent.avsc', 'user/AccountImported.avsc']);
  });

  for (const { rel, archived, schema } of files) {
    const type = avro.Type.forSchema(schema as avro.Schema);
    if (archived) {
      it(`decodes events written with the archived ${rel} using today's reader`, () => {
        for (let i = 0; i < SAMPLES_PER_SCHEMA; i++) {
          const fingerprint = type.fingerprint('md5').toString('hex');
          expect(() => codec.decode(schema.name, fingerprint, type.toBuffer(type.random()))).not.to.throw();
        }
      });
      continue;
    }
    it(`round-trips ${schema.name} (${rel}) through the codec`, () => {
      for (let i = 0; i < SAMPLES_PER_SCHEMA; i++) {
        const sample = type.random();
        const { fingerprint, data } = codec.encode(schema.name, sample);
        expect(plain(codec.decode(schema.name, fingerprint, data)), JSON.stringify(sample)).to.deep.equal(plain(sample));
      }
    });
  }
});
