/**
 * `npm run bench:compare -- <revision> [--rounds N]`: the server's throughput and CPU time per request against
 * another revision of this repository, such as the last release. Both servers are up at once, each in a process
 * of its own, and measured in turns (status, check, start), the order swapped every round, each turn from a
 * collected heap; every figure is the median of the rounds. A difference between two builds that `npm run bench`
 * can't resolve, because each route and its reference are measured seconds apart while the machine drifts, shows
 * here as a ratio of neighbouring turns.
 *
 * The other revision runs this tree's server-target.ts (its server must start from `startServer({ env, provider })`
 * in server/serve.ts), in a worktree of its own that borrows this tree's node_modules; the worktree is removed after.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';
import { LOAD_LIMITS, median } from './lib.js';
import { cannon, collectHeap, loads, startTarget } from './server.js';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const revision = args.find((arg) => !arg.startsWith('--'));
if (!revision) throw new Error('usage: npm run bench:compare -- <revision> [--rounds N]');
const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 0) || 10;
const SECONDS = 2;
const CHECKS = 5000;

const git = (...command: string[]) => execFileSync('git', command, { cwd: root, encoding: 'utf8' }).trim();
const commit = git('rev-parse', '--short', revision);
const work = mkdtempSync(join(tmpdir(), 'fcv-compare-'));
const other = join(work, commit);
git('worktree', 'add', '--detach', other, commit);
try {
  symlinkSync(join(root, 'node_modules'), join(other, 'node_modules'), 'dir');
  // This tree's server process, with the load limits it imports written in, so it needs nothing else from bench/.
  const target = readFileSync(new URL('./server-target.ts', import.meta.url), 'utf8').replace(
    /^import \{ LOAD_LIMITS \} from '\.\/lib\.js';$/m,
    `const LOAD_LIMITS = ${JSON.stringify(LOAD_LIMITS)};`,
  );
  const otherTarget = join(other, 'bench', 'compare-target.ts');
  writeFileSync(otherTarget, target);

  const prestarted = rounds * CHECKS + 2000;
  process.stderr.write(`bench:compare: starting this tree and ${commit}, ${prestarted} verifications each…\n`);
  const started = await Promise.allSettled([startTarget(prestarted), startTarget(prestarted, otherTarget)]);
  const children = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value.child] : []));
  try {
    const [ours, theirs] = started.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });
    const builds = { ours: ours!, theirs: theirs! };
    const load = { ours: loads(builds.ours.target), theirs: loads(builds.theirs.target) };
    const cpu = (build: keyof typeof builds) =>
      new Promise<number>((resolve) => {
        builds[build].child.once('message', (message: { cpu: number }) => resolve(message.cpu));
        builds[build].child.send('cpu');
      });
    const routes: Record<string, (build: keyof typeof builds) => autocannon.Options> = {
      'GET /v1/verifications/{id}': (build) => ({ ...load[build].status, duration: SECONDS }),
      'POST /v1/verifications/{id}/check': (build) => ({ ...load[build].check(), amount: CHECKS }),
      'POST /v1/verifications': (build) => ({ ...load[build].start, duration: SECONDS }),
    };
    // A warm-up of each route on each; the checks' takes 1,000 of the started verifications set aside for it.
    for (const build of ['ours', 'theirs'] as const) {
      await cannon({ ...load[build].status, duration: 1 });
      await cannon({ ...load[build].check(), amount: 1000 });
      await cannon({ ...load[build].start, duration: 1 });
      await collectHeap(builds[build].child);
    }
    const results = Object.fromEntries(
      Object.keys(routes).map((route) => [
        route,
        { ratio: [] as number[], ours: [] as number[], theirs: [] as number[], cpuOurs: [] as number[], cpuTheirs: [] as number[] },
      ]),
    );
    for (let round = 0; round < rounds; round++) {
      for (const [route, options] of Object.entries(routes)) {
        const result = results[route]!;
        const rps: Record<string, number> = {};
        for (const build of round % 2 ? (['theirs', 'ours'] as const) : (['ours', 'theirs'] as const)) {
          await collectHeap(builds[build].child);
          const before = await cpu(build);
          const run = await cannon(options(build));
          if (run.non2xx || run.errors)
            throw new Error(`${route} on ${build === 'ours' ? 'this tree' : commit}: ${run.non2xx} non-2xx, ${run.errors} errors`);
          const perRequest = ((await cpu(build)) - before) / run.requests;
          rps[build] = run.rps;
          result[build].push(run.rps);
          (build === 'ours' ? result.cpuOurs : result.cpuTheirs).push(perRequest);
        }
        result.ratio.push(rps.ours! / rps.theirs!);
      }
      process.stderr.write(`bench:compare: round ${round + 1} of ${rounds}\n`);
    }
    console.log(`\nThis tree against ${commit}, ${rounds} rounds (medians; a route's ratio is the median of each round's ratio)\n`);
    console.log(`| route | this tree | ${commit} | ratio | CPU per request, this tree | ${commit} |`);
    console.log('|---|---|---|---|---|---|');
    for (const [route, r] of Object.entries(results)) {
      const spread = `${Math.min(...r.ratio).toFixed(2)} to ${Math.max(...r.ratio).toFixed(2)}`;
      console.log(
        `| ${route} | ${Math.round(median(r.ours))} req/s | ${Math.round(median(r.theirs))} req/s | ${median(r.ratio).toFixed(2)}x (${spread}) | ${median(r.cpuOurs).toFixed(0)} µs | ${median(r.cpuTheirs).toFixed(0)} µs |`,
      );
    }
  } finally {
    for (const child of children) {
      child.send('stop');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
} finally {
  git('worktree', 'remove', '--force', other);
  rmSync(work, { recursive: true, force: true });
}
