/**
 * `npm run bench`: every figure beside its reference, all measured in this run. Prints one Markdown table
 * and writes it, with the raw numbers, to bench/results/<time>.json. Sections run one after another so
 * none competes with another for the two cores a small machine has.
 *
 *   node --import tsx bench/run.ts [--only bytes,browser,server,memory,relay,streams,deployment] [--quick]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { measureBrowser } from './browser.js';
import { measureDeployment } from './deployment.js';
import { buildPeers, measureBytes } from './bytes.js';
import { renderNotes, renderTable, type Section } from './lib.js';
import { measureMemory } from './memory.js';
import { measureRelay } from './relay.js';
import { measureServer } from './server.js';
import { measureStreams } from './streams.js';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg
  ? new Set((onlyArg.includes('=') ? onlyArg.split('=')[1]! : (args[args.indexOf(onlyArg) + 1] ?? '')).split(','))
  : undefined;
const quick = args.includes('--quick');
const want = (name: string) => !only || only.has(name);

const began = performance.now();
const work = mkdtempSync(join(tmpdir(), 'fcv-bench-'));
const dist = join(work, 'dist');
const sections: Section[] = [];
try {
  if (want('bytes') || want('browser')) {
    // The same config as `npm run build`, into a folder of its own: dist/ may be in use by a running server.
    const vite = spawnSync(
      process.execPath,
      [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    if (vite.status !== 0) throw new Error('vite build failed');
  }
  const peers = want('bytes') || want('browser') ? await buildPeers(join(work, 'peers')) : undefined;
  const step = async (name: string, measure: () => Promise<Section>) => {
    if (!want(name)) return;
    const t = performance.now();
    process.stderr.write(`bench: ${name}…`);
    sections.push(await measure());
    process.stderr.write(` ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  };
  await step('bytes', () => measureBytes(peers!, dist));
  await step('browser', () => measureBrowser({ dist, peersDir: peers!.dir, itiVersion: peers!.itiVersion, loads: quick ? 4 : 20 }));
  await step('server', () => measureServer({ seconds: quick ? 2 : 5 }));
  await step('memory', () => measureMemory({ pending: quick ? 10_000 : 100_000, redisSessions: quick ? 200 : 1000 }));
  await step('relay', () => measureRelay({ requests: quick ? 500 : 2000 }));
  await step('streams', () => measureStreams({ streams: quick ? 2000 : 10_000, events: quick ? 200 : 500 }));
  await step('deployment', () => measureDeployment({ seconds: quick ? 5 : 20, users: 32 }));
} finally {
  rmSync(work, { recursive: true, force: true });
}

const seconds = (performance.now() - began) / 1000;
const date = new Date();
const machine = `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, ${process.platform}`;
const table = renderTable(sections);
const notes = renderNotes(sections);
console.log(`\nflash-call-verify benchmarks, ${date.toISOString().slice(0, 10)}, ${machine}${quick ? ', QUICK (fewer samples)' : ''}\n`);
console.log(table);
console.log(`\n${notes}\n\nWall time: ${seconds.toFixed(0)} s`);

const results = join(root, 'bench/results');
mkdirSync(results, { recursive: true });
const file = join(results, `${date.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(
  file,
  `${JSON.stringify({ date: date.toISOString(), machine, cores: availableParallelism(), quick, seconds, table, sections }, null, 2)}\n`,
);
console.log(`Written to ${file.slice(root.length)}`);
