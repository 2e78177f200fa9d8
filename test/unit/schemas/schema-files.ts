/** The `.avsc` files under schemas/, found by walking the folder as the codec does, so a new schema is tested without listing it. */
import fs from 'node:fs';
import path from 'node:path';
import { schemasDir } from '../../../schemas/codec';

export interface SchemaFile {
  /** Path under schemas/, e.g. `c2c/MessageSent.avsc`. */
  rel: string;
  /** Inside an `archive/` folder: a writer of the past, read only. */
  archived: boolean;
  schema: { name: string; type: string; fields?: { name: string }[] };
}

export const SCHEMAS = schemasDir();

export function schemaFiles(dir = SCHEMAS): SchemaFile[] {
  const found: SchemaFile[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...schemaFiles(full));
    else if (entry.name.endsWith('.avsc')) {
      const rel = path.relative(SCHEMAS, full);
      found.push({ rel, archived: rel.split(path.sep).includes('archive'), schema: JSON.parse(fs.readFileSync(full, 'utf8')) });
    }
  }
  return found.sort((a, b) => a.rel.localeCompare(b.rel));
}
