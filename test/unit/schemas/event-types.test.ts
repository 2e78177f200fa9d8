/**
 * The TypeScript event types and the Avro schemas name the same events with the same fields:
 * every `type` constant an actors/<kind>/events.ts exports has a schema of that full name, every
 * schema has such a constant, and a sample typed as each TypeScript event fits its schema exactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import avro from 'avsc';
import { samples } from './samples';
import { schemaFiles } from './schema-files';

const ACTORS = path.join(__dirname, '../../../actors');

/** Every exported string of every actors/<kind>/events.ts: the event types the code declares. */
function declaredTypes(): Map<string, string> {
  const declared = new Map<string, string>();
  for (const kind of fs.readdirSync(ACTORS)) {
    const file = path.join(ACTORS, kind, 'events.ts');
    if (!fs.existsSync(file)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- every events.ts found, a new kind's included
    for (const [constant, value] of Object.entries(require(file) as Record<string, unknown>)) {
      if (typeof value === 'string') declared.set(value, `actors/${kind}/events.ts ${constant}`);
    }
  }
  return declared;
}

describe('Avro schemas of stored events: TypeScript event types', () => {
  const current = schemaFiles().filter((f) => !f.archived);
  const schemaNames = new Set(current.map((f) => f.schema.name));
  const declared = declaredTypes();

  it('finds the event types the actors declare', () => {
    expect(declared.get('parley.c2c.MessageSent')).to.equal('actors/c2c/events.ts MESSAGE_SENT');
    expect(declared.get('parley.joined.JoinedGroup')).to.equal('actors/group/events.ts JOINED_GROUP');
  });

  it('has a schema for every event type an actor declares', () => {
    const missing = [...declared].filter(([type]) => !schemaNames.has(type)).map(([type, where]) => `${type} (${where})`);
    expect(missing, 'declared without a schema').to.deep.equal([]);
  });

  it('has an event type constant in an actor for every schema', () => {
    expect([...schemaNames].filter((name) => !declared.has(name)), 'schemas no actor declares').to.deep.equal([]);
  });

  it('names every schema parley.<folder>.<file name>', () => {
    const misnamed = current.filter((f) => f.schema.name !== `parley.${path.dirname(f.rel)}.${path.basename(f.rel, '.avsc')}`).map((f) => `${f.rel}: ${f.schema.name}`);
    expect(misnamed).to.deep.equal([]);
  });

  it('has a typed sample of every declared event type', () => {
    expect(Object.keys(samples).sort()).to.deep.equal([...declared.keys()].sort());
  });

  for (const { rel, schema } of current) {
    it(`finds the fields of the TypeScript ${schema.name} in ${rel} and no others`, () => {
      const sample = (samples as Record<string, object>)[schema.name];
      expect(sample, `no sample of ${schema.name} in samples.ts`).to.be.an('object');
      expect(Object.keys(sample).sort(), 'TypeScript fields').to.deep.equal((schema.fields ?? []).map((f) => f.name).sort());
      const wrong: string[] = [];
      const valid = avro.Type.forSchema(schema as avro.Schema).isValid(sample, { noUndeclaredFields: true, errorHook: (p) => wrong.push(p.join('.')) });
      expect(valid, `fields that do not fit: ${wrong.join(', ')}`).to.equal(true);
    });
  }
});
