/**
 * The folders of `shared/` import each other in one direction only (issue 13: it
 * had presence → protocol → client → presence, and ipc ⇄ view). A cycle between
 * folders means neither can be understood, tested or moved without the other;
 * this reads every import of `shared/` (type-only, re-exports and dynamic ones
 * included, with TypeScript's own pre-parser) and fails on any folder cycle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SHARED = path.resolve('shared');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(d.name) && !d.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** The folder directly under `shared/` that holds `file` (`.` for files at its root). */
const folderOf = (file: string) => {
  const rel = path.relative(SHARED, file).split(path.sep);
  return rel.length > 1 ? rel[0]! : '.';
};

/** Folder → folders it imports, with one file and specifier per edge to say where it comes from. */
function folderGraph(files: readonly string[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of files) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), fileName);
      if (!target.startsWith(SHARED + path.sep)) continue;
      const to = folderOf(target);
      if (to !== from && !edges.has(to)) edges.set(to, `${path.relative(SHARED, file)} imports ${fileName}`);
    }
  }
  return graph;
}

/** One cycle, as the list of folders around it (first repeated at the end), or undefined. */
function findCycle(graph: ReadonlyMap<string, ReadonlyMap<string, string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of [...(graph.get(node)?.keys() ?? [])].sort()) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

const edges = (pairs: Record<string, string[]>) => new Map(Object.entries(pairs).map(([k, v]) => [k, new Map(v.map((t) => [t, 'x']))]));

describe('shared/ folders', () => {
  it('the cycle finder finds a cycle, the one shared/ had, and none in a DAG', () => {
    expect(findCycle(edges({ presence: ['protocol'], protocol: ['client'], client: ['presence'] }))).toEqual(['client', 'presence', 'protocol', 'client']);
    expect(findCycle(edges({ ipc: ['view'], view: ['ipc'] }))).toEqual(['ipc', 'view', 'ipc']);
    expect(findCycle(edges({ view: ['ipc', 'client'], ipc: ['client'], client: ['presence'], presence: [] }))).toBeUndefined();
  });

  it('import each other without a cycle', () => {
    const graph = folderGraph(sourceFiles(SHARED));
    // The folders are all read (a graph of nothing would pass for the wrong reason).
    expect([...graph.keys()]).toEqual(expect.arrayContaining(['client', 'format', 'ipc', 'presence', 'protocol', 'view']));
    expect(graph.get('view')?.has('presence')).toBe(true);
    const cycle = findCycle(graph);
    const why = cycle?.slice(1).map((to, i) => graph.get(cycle[i]!)!.get(to)).join('; ');
    expect(cycle, `folder cycle ${cycle?.join(' → ')}: ${why}`).toBeUndefined();
  });
});
