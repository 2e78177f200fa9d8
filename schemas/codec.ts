/**
 * Avro codec of stored events. Every event is written with today's schema of its type and
 * stored beside the schema's fingerprint; reading resolves the writer's schema (found by that
 * fingerprint) to today's reader, so old events keep decoding as schemas evolve.
 */
import fs from 'node:fs';
import path from 'node:path';
import avro from 'avsc';

export interface EncodedEvent {
  fingerprint: string;
  data: Buffer;
}

export interface SchemaRecord {
  fingerprint: string;
  name: string;
  schema: string;
}

export class CodecError extends Error {
  readonly code = 'CODEC_ERROR';
}

/**
 * Where an event is filed besides its stream and version, as its schema declares with the
 * record attribute `"parley.index": { "<index>": "<field>" }`: under the value of an integer
 * field, under each value of an array of integers, or, for `"*"` or an empty array, under key 0,
 * which stands for the whole stream. A conversation's messages are filed under their sequence
 * (index `seq`), so a page of history is a range of one index, whatever lies between.
 */
export interface IndexKey {
  index: string;
  key: number;
}

/** Index name → the field holding its keys, or "*" (key 0). */
export type IndexSpec = Record<string, string>;

const INDEX_NAME = /^[a-z][a-z0-9_]{0,30}$/;

const fingerprintOf = (type: avro.Type): string => type.fingerprint('md5').toString('hex');

export class EventCodec {
  private readonly readers = new Map<string, avro.Type>();
  private readonly writers = new Map<string, SchemaRecord & { type: avro.Type }>();
  private readonly currentFingerprint = new Map<string, string>();
  private readonly resolvers = new Map<string, avro.Resolver | null>();
  private readonly indexes = new Map<string, [index: string, field: string][]>();

  /** Today's schemas are readers and writers; `archived` are writers of the past, read only. */
  constructor(current: object[], archived: object[] = []) {
    for (const schema of current) {
      const type = avro.Type.forSchema(schema as avro.Schema);
      const name = requireName(type);
      if (this.readers.has(name)) throw new CodecError(`schema ${name} is declared twice`);
      this.readers.set(name, type);
      for (const alias of type.aliases ?? []) this.readers.set(alias, type);
      this.currentFingerprint.set(name, this.addWriterType(type).fingerprint);
      const spec = (schema as { 'parley.index'?: unknown })['parley.index'];
      if (spec !== undefined) this.indexes.set(name, indexFields(type, spec));
    }
    for (const schema of archived) this.addWriterType(avro.Type.forSchema(schema as avro.Schema));
  }

  /** Loads every `*.avsc` under `dir`; files inside an `archive/` folder are past writers. */
  static fromDirectory(dir: string = schemasDir(), extra: object[] = []): EventCodec {
    const current: object[] = [...extra];
    const archived: object[] = [];
    for (const file of listSchemaFiles(dir)) {
      const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as object;
      (file.split(path.sep).includes('archive') ? archived : current).push(schema);
    }
    return new EventCodec(current, archived);
  }

  has(name: string): boolean {
    return this.currentFingerprint.has(name);
  }

  encode(name: string, value: unknown): EncodedEvent {
    const fingerprint = this.currentFingerprint.get(name);
    if (fingerprint === undefined) throw new CodecError(`no schema for event type ${name}`);
    const type = this.readers.get(name)!;
    const errors: string[] = [];
    if (!type.isValid(value, { errorHook: (p) => errors.push(p.join('.') || '(root)') })) {
      throw new CodecError(`event ${name} does not match its schema at ${errors.join(', ')}`);
    }
    return { fingerprint, data: type.toBuffer(value) };
  }

  decode(name: string, fingerprint: string, data: Buffer): unknown {
    const reader = this.readers.get(name);
    if (reader === undefined) throw new CodecError(`no reader schema for event type ${name}`);
    const writer = this.writers.get(fingerprint);
    if (writer === undefined) throw new CodecError(`unknown writer schema ${fingerprint} for ${name}`);
    const resolver = this.resolverFor(reader, writer.type, fingerprint);
    try {
      return resolver === null ? reader.fromBuffer(data) : reader.fromBuffer(data, resolver);
    } catch (err) {
      throw new CodecError(`cannot decode ${name} written with ${fingerprint}: ${(err as Error).message}`);
    }
  }

  /** Event types filed in an index, with their declarations (canonical JSON: a changed one is re-filed). */
  indexSpecs(): Map<string, string> {
    return new Map([...this.indexes].map(([name, fields]) => [name, JSON.stringify(Object.fromEntries(fields))]));
  }

  /** The index keys of an event of type `name` with decoded or to-be-encoded `value`; none for undeclared types. */
  indexKeys(name: string, value: unknown): IndexKey[] {
    const fields = this.indexes.get(name);
    if (fields === undefined) return [];
    const keys: IndexKey[] = [];
    for (const [index, field] of fields) {
      const raw = field === '*' ? [] : (value as Record<string, unknown>)[field];
      const values = Array.isArray(raw) ? [...new Set(raw.map(Number))] : [Number(raw)];
      if (values.length === 0) values.push(0);
      for (const key of values) {
        if (!Number.isSafeInteger(key) || key < 0) throw new CodecError(`event ${name}: index ${index} needs whole keys ≥ 0, found ${String(key)}`);
        keys.push({ index, key });
      }
    }
    return keys;
  }

  /** Registers a writer schema found in the store (a schema no file of today declares). */
  addWriter(record: SchemaRecord): void {
    if (this.writers.has(record.fingerprint)) return;
    const type = avro.Type.forSchema(JSON.parse(record.schema) as avro.Schema);
    if (fingerprintOf(type) !== record.fingerprint) {
      throw new CodecError(`stored schema ${record.name} does not match its fingerprint ${record.fingerprint}`);
    }
    this.writers.set(record.fingerprint, { ...record, type });
  }

  /** Every writer schema this codec knows, for the store to keep beside the events. */
  schemas(): SchemaRecord[] {
    return [...this.writers.values()].map(({ fingerprint, name, schema }) => ({ fingerprint, name, schema }));
  }

  private addWriterType(type: avro.Type): SchemaRecord {
    const record = { fingerprint: fingerprintOf(type), name: requireName(type), schema: JSON.stringify(type.schema()) };
    this.writers.set(record.fingerprint, { ...record, type });
    return record;
  }

  private resolverFor(reader: avro.Type, writer: avro.Type, fingerprint: string): avro.Resolver | null {
    const cacheKey = `${reader.name}|${fingerprint}`;
    let resolver = this.resolvers.get(cacheKey);
    if (resolver === undefined) {
      try {
        resolver = fingerprintOf(reader) === fingerprint ? null : reader.createResolver(writer);
      } catch (err) {
        throw new CodecError(`schema ${fingerprint} cannot be read as ${reader.name}: ${(err as Error).message}`);
      }
      this.resolvers.set(cacheKey, resolver);
    }
    return resolver;
  }
}

/** Checks a `"parley.index"` declaration against the record it annotates. */
function indexFields(type: avro.Type, spec: unknown): [string, string][] {
  const fail = (why: string): never => {
    throw new CodecError(`schema ${type.name}: "parley.index" ${why}`);
  };
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) fail('must map index names to fields');
  const entries = Object.entries(spec as Record<string, unknown>);
  if (entries.length === 0) fail('names no index');
  const fields = new Map(((type as avro.types.RecordType).fields ?? []).map((f) => [f.name, f.type]));
  const integer = (t: avro.Type | undefined) => t !== undefined && (t.typeName === 'int' || t.typeName === 'long');
  for (const [index, field] of entries) {
    if (!INDEX_NAME.test(index)) fail(`has an invalid index name ${index}`);
    if (field === '*') continue;
    if (typeof field !== 'string') return fail(`gives index ${index} no field name`);
    const t = fields.get(field);
    if (!integer(t) && !(t?.typeName === 'array' && integer((t as avro.types.ArrayType).itemsType))) fail(`files index ${index} under ${field}, which is no integer or array of integers`);
  }
  return entries as [string, string][];
}

function requireName(type: avro.Type): string {
  if (!type.name) throw new CodecError('event schemas must be named records');
  return type.name;
}

function listSchemaFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listSchemaFiles(full));
    else if (entry.name.endsWith('.avsc')) files.push(full);
  }
  return files.sort();
}

/** The schemas folder: beside this file in the sources, two levels up from dist/schemas. */
export function schemasDir(): string {
  const built = path.resolve(__dirname, '../../schemas');
  return path.basename(path.resolve(__dirname, '..')) === 'dist' && fs.existsSync(built) ? built : __dirname;
}
