import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../src/checks/registry.js';

/**
 * The shape of src/ as the README's Architecture section states it, read from the code's own imports:
 * every arrow points down a layer (or stays in its own), there is no circle, and `--help` loads only
 * the start-up files. A move that breaks the picture fails here.
 */
const srcRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** Lower number = lower layer. A file may import its own layer or a lower one. */
const LAYERS: [prefix: string, rank: number][] = [
  ['cli.ts', 8],
  ['commands/', 7],
  ['doctor.ts', 6],
  ['bench/', 6],
  ['talk/', 6],
  ['monitor/', 6],
  ['findings/', 5],
  ['checks/', 4],
  ['livekit/', 3],
  ['evidence/', 3],
  ['config/', 2],
  ['report/', 2],
  ['core/', 1],
];

function layerOf(file: string): number {
  const hit = LAYERS.find(([prefix]) => file === prefix || file.startsWith(prefix));
  if (!hit) throw new Error(`${file} is in no layer of the architecture`);
  return hit[1];
}

function sourceFiles(dir = srcRoot): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [relative(srcRoot, path)] : [];
  });
}

interface Import {
  target: string;
  lazy: boolean;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(srcRoot, file), 'utf8');
  const found: Import[] = [];
  const add = (spec: string, lazy: boolean, typeOnly: boolean) => {
    if (!spec.startsWith('.')) return;
    found.push({ target: relative(srcRoot, resolve(srcRoot, dirname(file), spec)).replace(/\.js$/, '.ts'), lazy, typeOnly });
  };
  for (const m of text.matchAll(/^(import|export)(\s+type)?\s[^;]*?from\s+'([^']+)'/gms)) add(m[3]!, false, !!m[2]);
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) add(m[1]!, false, false);
  for (const m of text.matchAll(/import\('([^']+)'\)/g)) add(m[1]!, true, false);
  return found;
}

const files = sourceFiles();
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('architecture', () => {
  it('every import resolves to a file of src/', () => {
    const missing = [...graph].flatMap(([f, imports]) => imports.filter((i) => !graph.has(i.target)).map((i) => `${f} → ${i.target}`));
    expect(missing).toEqual([]);
  });

  it('no import runs from a lower layer to a higher one', () => {
    const upward = [...graph].flatMap(([f, imports]) => imports.filter((i) => layerOf(i.target) > layerOf(f)).map((i) => `${f} → ${i.target}`));
    expect(upward).toEqual([]);
  });

  it('has no import circle (type imports included)', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        circles.push([...path.slice(path.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const i of graph.get(f) ?? []) visit(i.target, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(circles).toEqual([]);
  });

  it('only src/livekit/ imports LiveKit packages', () => {
    const outside = files.filter((f) => !f.startsWith('livekit/') && /from '(@livekit\/|livekit-server-sdk)|import\('(@livekit\/|livekit-server-sdk)/.test(readFileSync(join(srcRoot, f), 'utf8')));
    expect(outside).toEqual([]);
  });

  it('--help loads only the start-up files: cli.ts, the command catalog and program, and core/errors.ts (each command\u2019s definition loads when it runs)', () => {
    const loaded = new Set<string>();
    const walk = (f: string) => {
      if (loaded.has(f)) return;
      loaded.add(f);
      for (const i of graph.get(f) ?? []) if (!i.lazy && !i.typeOnly) walk(i.target);
    };
    walk('cli.ts');
    const allowed = (f: string) => ['cli.ts', 'core/errors.ts', 'commands/program.ts', 'commands/catalog.ts'].includes(f);
    expect([...loaded].filter((f) => !allowed(f))).toEqual([]);
    const packages = [...loaded].flatMap((f) => [...readFileSync(join(srcRoot, f), 'utf8').matchAll(/^import (?!type)[^;]*?from '([^.][^']*)'/gms)].map((m) => m[1]!));
    expect(new Set(packages.filter((p) => !p.startsWith('node:')))).toEqual(new Set(['commander']));
  });

  it('a check lives at checks/<group>/<step>.ts for its id <group>.<step>, and checks/<group>/ holds only checks', () => {
    const groups = readdirSync(join(srcRoot, 'checks')).filter((d) => d !== 'support' && statSync(join(srcRoot, 'checks', d)).isDirectory());
    const onDisk = groups.flatMap((g) => readdirSync(join(srcRoot, 'checks', g)).map((f) => `${g}.${f.replace(/\.ts$/, '')}`));
    const withGroup = CHECKS.map((c) => c.id).filter((id) => id.includes('.'));
    expect(new Set(onDisk)).toEqual(new Set(withGroup));
    for (const check of CHECKS) {
      const file = check.id.includes('.') ? `checks/${check.id.replace('.', '/')}.ts` : `checks/${check.id}.ts`;
      expect(readFileSync(join(srcRoot, file), 'utf8'), `${file} defines ${check.id}`).toContain(`id: '${check.id}'`);
    }
  });
});
