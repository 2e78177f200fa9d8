/**
 * The OpenAPI 3 document of the Tencent commands this node serves, built from the command
 * table and each action's params schema, so it cannot drift from what is registered.
 */
import type { CommandEntry, CommandTable } from '../commands/commands';

type Rule = string | { type?: string; optional?: boolean; props?: Record<string, Rule>; items?: Rule; values?: unknown[]; min?: number; max?: number; pattern?: RegExp | string; integer?: boolean };

/** fastest-validator rule → JSON Schema (the subset our bodies use). */
export function toJsonSchema(rule: Rule): Record<string, unknown> {
  const r = typeof rule === 'string' ? { type: rule } : rule;
  switch (r.type) {
    case 'string':
      return strip({ type: 'string', minLength: r.min, maxLength: r.max, pattern: r.pattern === undefined ? undefined : String(r.pattern instanceof RegExp ? r.pattern.source : r.pattern) });
    case 'number':
      return strip({ type: r.integer ? 'integer' : 'number', minimum: r.min, maximum: r.max });
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { enum: r.values };
    case 'array':
      return strip({ type: 'array', minItems: r.min, maxItems: r.max, items: r.items === undefined ? {} : toJsonSchema(r.items) });
    case 'object':
      return r.props ? objectSchema(r.props) : { type: 'object' };
    default:
      return {};
  }
}

function objectSchema(props: Record<string, Rule>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [name, rule] of Object.entries(props)) {
    if (name.startsWith('$$')) continue;
    properties[name] = toJsonSchema(rule);
    if (typeof rule === 'string' || !rule.optional) required.push(name);
  }
  return strip({ type: 'object', properties, required: required.length ? required : undefined });
}

function strip(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const QUERY = ['sdkappid', 'identifier', 'usersig', 'random', 'contenttype'].map((name) => ({
  name,
  in: 'query',
  required: name !== 'random',
  schema: { type: name === 'sdkappid' || name === 'random' ? 'integer' : 'string' },
}));

const ENVELOPE = {
  type: 'object',
  required: ['ActionStatus', 'ErrorCode', 'ErrorInfo'],
  properties: {
    ActionStatus: { enum: ['OK', 'FAIL'] },
    ErrorCode: { type: 'integer' },
    ErrorInfo: { type: 'string' },
    RequestId: { type: 'string' },
    ErrorDisplay: { type: 'string' },
  },
};

function operation(entry: CommandEntry, params: unknown, name: string) {
  const body = (params as { body?: Rule } | undefined)?.body;
  return {
    operationId: name.replace('/', '.'),
    summary: entry.summary + (name !== entry.command ? ` (legacy name of ${entry.command})` : ''),
    parameters: QUERY,
    requestBody: { required: true, content: { 'application/json': { schema: body ? toJsonSchema(body) : { type: 'object' } } } },
    responses: { 200: { description: 'Tencent envelope; ErrorCode 0 on success', content: { 'application/json': { schema: ENVELOPE } } } },
    'x-parley-action': entry.action,
    'x-tencent-error-codes': { invalid: entry.invalidCode, internal: entry.internalCode },
  };
}

export function openApiDocument(table: CommandTable) {
  const paths: Record<string, unknown> = {};
  for (const entry of table.list()) {
    const params = table.paramsOf(entry.action);
    for (const name of [entry.command, ...(entry.aliases ?? [])]) paths[`/v4/${name}`] = { post: operation(entry, params, name) };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Parley REST API (Tencent Cloud Chat compatible)', version: '1' },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  };
}
