/**
 * Where a service's file is, for code that loads services by name (tests, benchmarks): each
 * context's folder holds its `<name>.service` file; the gateway `api` is the REST face's.
 * Works from the sources (tsx) and from dist/ alike.
 */
import path from 'node:path';

export const SERVICES_DIR = __dirname;

export function serviceFile(name: string): string {
  return path.join(__dirname, name === 'api' ? 'rest' : name, `${name}.service${path.extname(__filename)}`);
}
