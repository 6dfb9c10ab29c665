/**
 * Throughput and latency of the verification routes against a bare Hono route on the same adapter, in
 * the same run: autocannon here, the server in a child process (see server-target.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import autocannon from 'autocannon';
import { ms, percentile, type Row, type Section } from './lib.js';

const ORIGIN = 'http://localhost:5173';

export interface Target {
  url: string;
  bareUrl: string;
  sessions: Array<{ id: string; code: string }>;
}

export interface Run {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

const CONNECTIONS = 10;

/**
 * autocannon's own percentiles are whole milliseconds, and its duration is rounded to the second, which
 * skews a run of a fixed number of requests; each response's time and arrival are kept here instead.
 */
export function cannon(options: autocannon.Options): Promise<Run> {
  const times: number[] = [];
  let first = 0;
  let last = 0;
  let answered = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections: CONNECTIONS, pipelining: 1, ...options }, (error, result) => {
      if (error) return reject(error instanceof Error ? error : new Error(String(error)));
      resolve({
        // From the first answer to the last: the connections' set-up is left out, the same for every route.
        rps: answered > 1 ? ((answered - 1) * 1000) / (last - first) : 0,
        p50: percentile(times, 50),
        p99: percentile(times, 99),
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
      });
    });
    instance.on('response', (_client: unknown, status: number, _bytes: number, time: number) => {
      last = performance.now();
      if (answered++ === 0) first = last;
      if (status < 300) times.push(time);
    });
  });
}

/** Forks the server process (server-target.ts, or `file`, a copy of it in another checkout) and waits for its URLs. */
export function startTarget(
  prestarted: number,
  file = new URL('./server-target.ts', import.meta.url).pathname,
): Promise<{ child: ChildProcess; target: Target }> {
  const child = fork(file, [], {
    // BENCH_PROFILE=DIR writes a CPU profile of the server under load there, to see where a figure goes.
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
    ],
    env: { ...process.env, BENCH_PRESTARTED: String(prestarted), NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (target) => resolve({ child, target: target as Target }));
    child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before it was ready`)));
  });
}

/** Asks the server process for a full collection and waits for it. */
export function collectHeap(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    child.once('message', () => resolve());
    child.send('collect');
  });
}

/**
 * The loads, as autocannon options: the bare routes, a status read, a start with a new UK mobile number per
 * request, and checks with the right code that spend the started sessions in order (never past `limit`).
 */
export function loads(target: Target) {
  const json = { 'content-type': 'application/json', origin: ORIGIN };
  const statusId = target.sessions[target.sessions.length - 1]!.id;
  let n = 0;
  let next = 0;
  return {
    bareGet: { url: `${target.bareUrl}/bare` },
    barePost: {
      url: `${target.bareUrl}/bare`,
      method: 'POST' as const,
      headers: json,
      body: JSON.stringify({ siteKey: 'pk_sandbox', phone: '+447400123456' }),
    },
    status: { url: `${target.url}/v1/verifications/${statusId}`, headers: { origin: ORIGIN } },
    start: {
      url: target.url,
      requests: [
        {
          method: 'POST' as const,
          path: '/v1/verifications',
          headers: json,
          setupRequest: (request: autocannon.Request) => ({
            ...request,
            body: JSON.stringify({ siteKey: 'pk_sandbox', phone: `+447400${String(n++ % 800_000).padStart(6, '0')}` }),
          }),
        },
      ],
    },
    check: (limit = target.sessions.length) => ({
      url: target.url,
      requests: [
        {
          method: 'POST' as const,
          headers: json,
          setupRequest: (request: autocannon.Request) => {
            const session = target.sessions[Math.min(next++, limit - 1)]!;
            return { ...request, path: `/v1/verifications/${session.id}/check`, body: JSON.stringify({ code: session.code }) };
          },
        },
      ],
    }),
    /** How many started sessions the checks have spent. */
    spent: () => next,
  };
}

export async function measureServer(options: { seconds?: number } = {}): Promise<Section> {
  const seconds = options.seconds ?? 5;
  const { child, target } = await startTarget(60_000);
  try {
    // Each route is measured from a collected heap, so none pays for the garbage of the set-up or of the route before.
    const collect = () => collectHeap(child);
    const warm = async (o: autocannon.Options) => {
      await cannon({ ...o, duration: 1 });
      await collect();
    };
    const { bareGet, barePost, status, start, check, spent } = loads(target);
    const pool = target.sessions;

    await warm(bareGet);
    const rBareGet = await cannon({ ...bareGet, duration: seconds });
    await warm(status);
    const rStatus = await cannon({ ...status, duration: seconds });
    await warm(barePost);
    const rBarePost = await cannon({ ...barePost, duration: seconds });
    await cannon({ ...check(pool.length), amount: 2000 });
    await collect();
    // A fixed number of checks, one per started session, so none hits an already verified one.
    const rCheck = await cannon({ ...check(pool.length), amount: pool.length - spent() - CONNECTIONS });
    await warm(start);
    const rStart = await cannon({ ...start, duration: seconds });

    const row = (measure: string, run: Run, ref: Run, refName: string, target: number): Row => ({
      measure,
      ours: `${Math.round(run.rps)} req/s, p50 ${ms(run.p50)}, p99 ${ms(run.p99)}${run.non2xx || run.errors ? ` (${run.non2xx} non-2xx, ${run.errors} errors)` : ''}`,
      reference: `${refName}: ${Math.round(ref.rps)} req/s, p50 ${ms(ref.p50)}, p99 ${ms(ref.p99)}`,
      ratio: run.rps / ref.rps,
      target: `>= ${target}x`,
      met: run.rps / ref.rps >= target && run.non2xx === 0 && run.errors === 0,
      data: { ours: run, reference: ref },
    });
    return {
      title: `Server throughput, loopback, ${CONNECTIONS} connections, ${seconds} s a route`,
      rows: [
        row('GET /v1/verifications/{id}', rStatus, rBareGet, 'bare Hono GET JSON', 0.7),
        row('POST /v1/verifications/{id}/check (right code, token issued)', rCheck, rBarePost, 'bare Hono POST JSON', 0.7),
        row('POST /v1/verifications (provider answers at once)', rStart, rBarePost, 'bare Hono POST JSON', 0.5),
      ],
      notes: [
        `${availableParallelism()} cores: the server (memory store, request log silent) runs in a child process and autocannon ${CONNECTIONS} connections, pipelining 1, in the parent, so each has a core; a 1 s warm-up precedes each route.`,
        'The bare route is a Hono app on @hono/node-server like ours, answering the same JSON view; POST routes are set against a bare POST that parses a JSON body and answers JSON.',
        `Check: ${rCheck.requests} sessions started before the run, each checked once with its right code (HMAC check, token minted and stored). Start: a new UK mobile number per request; the provider is an in-process object that answers at once.`,
      ],
    };
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
