/**
 * Events as a store holds them: Avro bytes beside the writer schema's fingerprint and text
 * (test/fixtures/events/written-2026-12.json, real decider output encoded with the schemas of
 * December 2026). Today's reader must still decode each, resolving the writer's schema to its
 * own, and find the values that were written. Never regenerate the fixture: it stands for events
 * already stored. Only if a field is removed or renamed on purpose, edit its `written` value.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { EventCodec } from '../../../schemas/codec';
import { schemaFiles } from './schema-files';

interface Archived {
  type: string;
  fingerprint: string;
  /** The writer schema as the store keeps it (canonical JSON, no docs or defaults). */
  schema: string;
  /** Base64 of the Avro bytes. */
  payload: string;
  /** The event's data as it was written. */
  written: Record<string, unknown>;
}

const FIXTURE = path.join(__dirname, '../../fixtures/events/written-2026-12.json');
const archived = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Archived[];
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('Avro schemas of stored events: archived payloads', () => {
  const codec = EventCodec.fromDirectory();
  before(() => {
    for (const a of archived) codec.addWriter({ fingerprint: a.fingerprint, name: a.type, schema: a.schema });
  });

  it('holds events of every kind that stores them', () => {
    const kinds = new Set(archived.map((a) => a.type.split('.')[1]));
    expect([...kinds]).to.include.members(['c2c', 'group', 'user', 'relations', 'apps', 'outbox', 'inbox', 'joined']);
  });

  for (const a of archived) {
    it(`decodes a stored ${a.type} with today's reader and finds the values written`, () => {
      const decoded = plain(codec.decode(a.type, a.fingerprint, Buffer.from(a.payload, 'base64')));
      expect(decoded).to.deep.include(a.written);
    });
  }

  it('decodes the text, unicode and numbers of a one-to-one message exactly', () => {
    const a = archived.find((e) => e.type === 'parley.c2c.MessageSent')!;
    const message = codec.decode(a.type, a.fingerprint, Buffer.from(a.payload, 'base64'));
    expect(message).to.deep.include({ seq: 1, from: 'alice', to: 'bob', random: 3_000_000_001, time: 1_796_000_000, lifeTimeSec: 604_800 });
    expect((message as { body: string }).body).to.contain('héllo 👋');
  });

  it('resolves an archived writer to a reader that has since gained a field with a default', () => {
    const a = archived.find((e) => e.type === 'parley.c2c.MessageSent')!;
    const grown = schemaFiles()
      .filter((f) => !f.archived)
      .map(({ schema }) => (schema.name === a.type ? { ...schema, fields: [...schema.fields!, { name: 'addedLater', type: 'string', default: 'none' }] } : schema));
    const later = new EventCodec(grown);
    later.addWriter({ fingerprint: a.fingerprint, name: a.type, schema: a.schema });
    expect(later.decode(a.type, a.fingerprint, Buffer.from(a.payload, 'base64'))).to.deep.include({ ...a.written, addedLater: 'none' });
  });
});
