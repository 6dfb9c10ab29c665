import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROBLEM_CODES } from '../../server/errors.js';
import { createMetrics } from '../../server/metrics/index.js';
import { openApiDocument } from '../../server/openapi.js';
import { docsState } from '../../scripts/docs.js';

/** The generated files and the hand-written tables in docs/, against the code they describe; every link between the docs. */

const root = fileURLToPath(new URL('../..', import.meta.url));
const doc = (file: string): string => readFileSync(join(root, file), 'utf8');

/** Text outside fenced code blocks, where headings, links and tables are Markdown. */
const prose = (text: string): string => text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');

/** The first cell of every table row in a document: the names a reference table lists. */
function firstCells(file: string): string[] {
  return prose(doc(file))
    .split('\n')
    .filter((line) => /^\s*\|/.test(line) && !/^\s*\|\s*-/.test(line))
    .map((line) =>
      line
        .replace(/\\\|/g, '\uE000')
        .split('|')[1]!
        .replace(/\uE000/g, '|')
        .trim(),
    );
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens; repeats get -1, -2... */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count ? `${slug}-${count}` : slug);
  }
  return result;
}

const MARKDOWN = [
  'README.md',
  'bench/README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('the docs', () => {
  test('custom-elements.json and the element reference in docs/element.md are current (`npm run docs` rewrites them)', async () => {
    const state = await docsState();
    assert.ok(state.manifest.current === state.manifest.expected, 'custom-elements.json is stale: run `npm run docs`');
    assert.ok(
      state.elementDoc.current === state.elementDoc.expected,
      'the element reference in docs/element.md is stale: run `npm run docs`',
    );
    const manifest = JSON.parse(state.manifest.current);
    const element = manifest.modules
      .flatMap((m: { declarations?: unknown[] }) => m.declarations ?? [])
      .find((d: { customElement?: boolean }) => d.customElement);
    assert.equal(element.tagName, 'flash-call-verify');
    for (const kind of ['attributes', 'events', 'cssParts', 'cssProperties', 'cssStates']) assert.ok(element[kind]?.length > 0, kind);
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
    assert.equal(pkg.customElements, 'custom-elements.json');
  });

  test('the configuration table lists every variable the server reads', () => {
    const source = readFileSync(`${root}server/config.ts`, 'utf8');
    const names = new Set(
      [...source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)|['"]((?:FCV|RESTCOMM|REDIS|PUBLIC|PORT|HOST)[A-Z0-9_]*)['"]/g)].map(
        (m) => m[1] ?? m[2]!,
      ),
    );
    assert.ok(names.size >= 15, [...names].join(' '));
    const rows = firstCells('docs/configuration.md');
    const missing = [...names].filter((name) => !rows.some((cell) => cell.includes(`\`${name}\``)));
    assert.deepEqual(missing, [], 'add them to the table in docs/configuration.md');
  });

  test('the error table lists every problem code', () => {
    const rows = firstCells('docs/http-api.md');
    assert.deepEqual(
      PROBLEM_CODES.filter((code) => !rows.includes(`\`${code}\``)),
      [],
      'add them to the error table in docs/http-api.md',
    );
  });

  test('the route table lists every documented route', () => {
    const rows = firstCells('docs/http-api.md');
    const missing = Object.keys(openApiDocument().paths).filter((path) => !rows.some((cell) => cell.includes(` ${path}\``)));
    assert.deepEqual(missing, [], 'add them to the route table in docs/http-api.md');
    assert.ok(rows.includes('`GET /openapi.json`'));
  });

  test('the metrics table lists every metric', async () => {
    const rows = firstCells('docs/metrics.md');
    const names = [...(await createMetrics().registry.metrics()).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!);
    assert.deepEqual(
      names.filter((name) => !rows.some((cell) => cell.includes(`\`${name}\``))),
      [],
      'add them to the table in docs/metrics.md',
    );
  });

  test('every relative link and anchor in the README and the docs resolves', () => {
    const broken: string[] = [];
    for (const file of MARKDOWN) {
      const text = prose(doc(file));
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!)) continue; // https:, mailto:
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const resolved = path ? join(dirname(join(root, file)), path) : join(root, file);
        if (!existsSync(resolved)) {
          broken.push(`${file}: ${target} (no ${relative(root, resolved)})`);
          continue;
        }
        if (anchor !== undefined && resolved.endsWith('.md') && !anchors(readFileSync(resolved, 'utf8')).has(anchor)) {
          broken.push(`${file}: ${target} (no heading for #${anchor})`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  test('the README stays an introduction: 15 KB at most', () => {
    const size = Buffer.byteLength(doc('README.md'));
    assert.ok(size <= 15_000, `README.md is ${size} bytes; move reference material to docs/`);
  });
});
