import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

/** The element's modules import one way: no module reaches itself again, by any import (types and lazy ones too). */

const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative module a file names: `import … from`, `export … from`, `import()` and `typeof import()`. */
function importsOf(file: string): string[] {
  // Comments may show imports as examples.
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)].map((match) => match[1]!);
  return specifiers.map((specifier) => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
}

/** The cycles in a graph, each as the path that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const walk = (node: string, path: string[]) => {
    const at = path.indexOf(node);
    if (at >= 0) return void found.push([...path.slice(at), node]);
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) walk(next, [...path, node]);
    done.add(node);
  };
  for (const node of graph.keys()) walk(node, []);
  return found;
}

describe('the element’s imports', () => {
  const files = sources(join(root, 'widget'));
  const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => target.startsWith(join(root, 'widget')))]));

  test('name modules that exist', () => {
    for (const [file, targets] of graph) {
      for (const target of targets)
        assert.ok(files.includes(target), `${relative(root, file)} imports ${relative(root, target)}, which does not exist`);
    }
  });

  test('have no cycle', () => {
    const found = cycles(graph).map((cycle) => cycle.map((file) => relative(root, file)).join(' -> '));
    assert.deepEqual(found, []);
  });

  test('find a cycle where there is one', () => {
    // The walk itself, on a graph with a known cycle, so the test above cannot pass by finding nothing.
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    assert.deepEqual(cycles(graph), [['a', 'b', 'c', 'a']]);
  });
});
