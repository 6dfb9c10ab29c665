import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROBLEM_CODES } from '../../server/errors.js';
import { createMetrics } from '../../server/metrics/index.js';
import { openApiDocument } from '../../server/openapi.js';
import { docsState } from '../../scripts/docs.js';

/** The generated files and the README's hand-written tables, against the code they describe. */

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');

/** The README from a `## heading` to the next one. */
function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has a "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('the docs', () => {
  test('custom-elements.json and the README element reference are current (`npm run docs` rewrites them)', async () => {
    const state = await docsState();
    assert.ok(state.manifest.current === state.manifest.expected, 'custom-elements.json is stale: run `npm run docs`');
    assert.ok(state.readme.current === state.readme.expected, 'the README element reference is stale: run `npm run docs`');
    const manifest = JSON.parse(state.manifest.current);
    const element = manifest.modules.flatMap((m: { declarations?: unknown[] }) => m.declarations ?? []).find((d: { customElement?: boolean }) => d.customElement);
    assert.equal(element.tagName, 'flash-call-verify');
    for (const kind of ['attributes', 'events', 'cssParts', 'cssProperties', 'cssStates']) assert.ok(element[kind]?.length > 0, kind);
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
    assert.equal(pkg.customElements, 'custom-elements.json');
  });

  test('the configuration table lists every variable the server reads', () => {
    const source = readFileSync(`${root}server/config.ts`, 'utf8');
    const names = new Set(
      [...source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)|['"]((?:FCV|RESTCOMM|REDIS|PUBLIC|PORT|HOST)[A-Z0-9_]*)['"]/g)].map((m) => m[1] ?? m[2]!),
    );
    assert.ok(names.size >= 15, [...names].join(' '));
    const table = section('Configuration');
    const missing = [...names].filter((name) => !table.includes(`\`${name}\``));
    assert.deepEqual(missing, [], 'add them to the Configuration table');
  });

  test('the error table lists every problem code', () => {
    const table = section('HTTP API (v1)');
    assert.deepEqual(PROBLEM_CODES.filter((code) => !table.includes(`| \`${code}\` |`)), []);
  });

  test('the route table lists every documented route', () => {
    const table = section('HTTP API (v1)');
    const missing = Object.keys(openApiDocument().paths).filter((path) => !table.includes(` ${path}\``) && !table.includes(` ${path}\` `));
    assert.deepEqual(missing, []);
    assert.ok(table.includes('`GET /openapi.json`'));
  });

  test('the metrics table lists every metric', async () => {
    const table = section('Metrics');
    const names = [...(await createMetrics().registry.metrics()).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!);
    assert.deepEqual(names.filter((name) => !table.includes(`\`${name}\``)), []);
  });
});
