/** Argument parsing of the CLI: positionals and `--name value` options (repeatable). */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';

/** A mistake of the caller: exit code 2 with the help, or 1 for a well-formed but failing request. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

const FLAGS = new Set(['help']);

export class Args {
  constructor(
    readonly positional: string[],
    private readonly options: Map<string, string[]>,
  ) {}

  flag(name: string): boolean {
    return this.options.has(name);
  }

  all(name: string): string[] {
    return this.options.get(name) ?? [];
  }

  str(name: string): string | undefined {
    return this.all(name).at(-1);
  }

  int(name: string): number | undefined {
    const raw = this.str(name);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a non-negative integer, got "${raw}"`);
    return Number(raw);
  }

  /** The SDKAppID in the data folder's app.json (written on the first start), if any. */
  appJsonId(): number | undefined {
    const file = path.join(loadConfig().dataDir, 'app.json');
    if (!fs.existsSync(file)) return undefined;
    const id = (JSON.parse(fs.readFileSync(file, 'utf8')) as { sdkAppId?: unknown }).sdkAppId;
    return typeof id === 'number' ? id : undefined;
  }
}

export function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const options = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') options.set('help', []);
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
      const value = FLAGS.has(name) ? '' : (inline ?? argv[++i]);
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      options.set(name, [...(options.get(name) ?? []), value]);
    } else positional.push(arg);
  }
  return new Args(positional, options);
}
