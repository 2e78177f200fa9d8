/**
 * The import graph of the shipped code (docs/architecture.md): no file takes part in an import
 * circle, and no service file is imported as a library. Lint keeps the arrows between parts
 * (eslint.config.mjs); circles are a property of the whole graph, which lint rules do not see.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const PARTS = ['runtime', 'actors', 'services', 'store', 'config', 'schemas'];
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]/g;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function resolve(from: string, spec: string): string | undefined {
  const abs = path.resolve(path.dirname(from), spec);
  return [`${abs}.ts`, path.join(abs, 'index.ts')].find((f) => fs.existsSync(f));
}

function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const file of PARTS.flatMap((p) => sources(path.join(ROOT, p)))) {
    const text = fs.readFileSync(file, 'utf8');
    edges.set(file, [...text.matchAll(IMPORT)].map((m) => resolve(file, m[1])).filter((f): f is string => f !== undefined));
  }
  return edges;
}

/** Strongly connected components of more than one file (Tarjan). */
function circles(edges: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(path.relative(ROOT, w));
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('the import graph', () => {
  const edges = graph();

  it('has no import circle between files', () => {
    expect(circles(edges)).to.deep.equal([]);
  });

  it('imports no service file as a library: contexts reach each other through client modules', () => {
    const imported = [...edges.entries()].flatMap(([from, tos]) => tos.filter((t) => t.endsWith('.service.ts')).map((t) => `${path.relative(ROOT, from)} -> ${path.relative(ROOT, t)}`));
    expect(imported).to.deep.equal([]);
  });

  it('finds the circle it is meant to find', () => {
    const a = path.join(ROOT, 'a.ts');
    const b = path.join(ROOT, 'b.ts');
    expect(circles(new Map([[a, [b]], [b, [a]]]))).to.deep.equal([['a.ts', 'b.ts']]);
  });
});
