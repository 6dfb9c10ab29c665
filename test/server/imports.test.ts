import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The server's modules point one way: no import cycle, and only the entry point reaches up to the sandbox. */

const root = fileURLToPath(new URL('../..', import.meta.url));

function sources(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => join(folder, file));
}

/** Each module's relative imports (static, dynamic and type-only), as repository paths. */
function graph(files: string[]): Map<string, string[]> {
  return new Map(
    files.map((file) => {
      const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
      const targets = importedFiles
        .map(({ fileName }) => fileName)
        .filter((name) => name.startsWith('.'))
        .map((name) => normalize(join(dirname(file), name)).replace(/\.js$/, '.ts'));
      return [file, targets];
    }),
  );
}

const modules = graph([...sources('server'), ...sources('sandbox')]);

describe('imports', () => {
  test('no module of the server or the sandbox imports itself back, even through types', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      state.set(file, 'open');
      for (const target of modules.get(file) ?? []) {
        if (state.get(target) === 'open') cycles.push([...path.slice(path.indexOf(target)), file, target].join(' -> '));
        else if (!state.has(target)) visit(target, [...path, file]);
      }
      state.set(file, 'done');
    };
    for (const file of modules.keys()) if (!state.has(file)) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  test('middleware builds on the HTTP helpers, never the other way round', () => {
    const backwards = [...modules]
      .filter(([file]) => file.startsWith('server/http/'))
      .flatMap(([file, targets]) =>
        targets.filter((target) => target.startsWith('server/middleware/')).map((target) => `${file} -> ${target}`),
      );
    assert.deepEqual(backwards, []);
  });

  test('only the entry point imports the sandbox or the demo, and only lazily', () => {
    const reaching = [...modules]
      .filter(([, targets]) => targets.some((target) => /^(sandbox|demo)\//.test(relative(root, join(root, target)))))
      .map(([file]) => file)
      .filter((file) => file.startsWith('server/'));
    assert.deepEqual(reaching, ['server/main.ts']);
    assert.match(readFileSync(join(root, 'server/main.ts'), 'utf8'), /await import\('\.\.\/sandbox\/index\.js'\)/);
    assert.doesNotMatch(readFileSync(join(root, 'server/main.ts'), 'utf8'), /^import .*sandbox/m);
  });
});
