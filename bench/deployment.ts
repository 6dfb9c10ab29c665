/**
 * The whole deployment under a realistic mix: two instances sharing one Redis behind a round-robin proxy,
 * beside one instance with the memory store behind the same proxy, in the same run. Each virtual user runs
 * whole verifications: start, follow the event stream, read the status, sometimes a wrong code, the right
 * code, then the site's siteverify; a Restcomm stand-in in this process takes the calls and posts the status
 * callbacks (ringing, then completed) back through the proxy, so they land on either instance.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { startRedis } from '../test/support/redis-server.js';
import { ms, percentile, type Row, type Section } from './lib.js';

const ORIGIN = 'https://shop.example';
const STEPS = ['start', 'stream (first event)', 'status', 'callback', 'check (wrong code)', 'check', 'siteverify'] as const;
type Step = (typeof STEPS)[number];

interface Outcome {
  completed: number;
  seconds: number;
  steps: Record<Step, number[]>;
  /** CPU seconds of the instances, of Redis, and of the proxy over the run. */
  cpu: { instances: number; redis: number; proxy: number };
  failures: number;
}

function forkChild(file: string, env: Record<string, string>): ChildProcess {
  return fork(new URL(file, import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

function answer<T>(child: ChildProcess, key: string, message?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: unknown) => {
      const value = (reply as Record<string, unknown>)[key];
      if (value === undefined) return;
      child.off('message', onMessage);
      resolve(value as T);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${key}: the process exited (${code})`)));
    if (message !== undefined) child.send(message as string);
  });
}

const cpuSeconds = async (child: ChildProcess) => {
  const { user, system } = await answer<{ user: number; system: number }>(child, 'cpu', 'cpu');
  return (user + system) / 1e6;
};

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  await exited;
}

/** Restcomm as far as the server sees it: takes calls, and reports their progress to the status callback. */
async function restcommStandIn(steps: Record<Step, number[]>) {
  const codes = new Map<string, string>();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let sid = 0;
  const callback = (url: string, form: Record<string, string>) =>
    new Promise<void>((resolve) => {
      const body = new URLSearchParams(form).toString();
      const target = new URL(url);
      const started = performance.now();
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) steps.callback.push(performance.now() - started);
            resolve();
          });
        },
      );
      req.on('error', () => resolve());
      req.end(body);
    });
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(raw));
      if (req.method !== 'POST' || !/\/Calls\.json$/.test(req.url ?? '')) return void res.writeHead(404).end();
      const callSid = `CA${(++sid).toString(16).padStart(32, '0')}`;
      codes.set(form.To!, form.From!);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: callSid, status: 'queued' }));
      // A flash call: it rings briefly and is hung up unanswered.
      setTimeout(() => void callback(form.StatusCallback!, { CallSid: callSid, CallStatus: 'ringing' }), 20);
      setTimeout(() => void callback(form.StatusCallback!, { CallSid: callSid, CallStatus: 'no-answer' }), 80);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    callerIdOf: (phone: string) => codes.get(phone),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    agent,
  };
}

/** One HTTP exchange through the proxy, timed; the body is parsed as JSON when there is one. */
function exchange(
  agent: Agent,
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> | undefined; ms: number }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const url = new URL(path, base);
    const started = performance.now();
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        agent,
        headers: { origin: ORIGIN, ...(text ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } : {}) },
      },
      (res) => {
        let raw = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (raw += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined,
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

/** The element's event stream, on a connection of its own: resolves when a status matching `until` arrives. */
function follow(base: string, id: string, firstEvent: (ms: number) => void) {
  let buffer = '';
  let wake: (() => void) | undefined;
  const statuses: string[] = [];
  const started = performance.now();
  let response: IncomingMessage | undefined;
  const req = request(
    new URL(`/v1/verifications/${id}/events`, base),
    { headers: { origin: ORIGIN, accept: 'text/event-stream' }, agent: false },
    (res) => {
      response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = frame.split('\n').find((line) => line.startsWith('data:'));
          if (!frame.startsWith('event: status') || !data) continue;
          if (statuses.length === 0) firstEvent(performance.now() - started);
          statuses.push((JSON.parse(data.slice(5)) as { status: string }).status);
        }
        wake?.();
      });
    },
  );
  req.on('error', () => {});
  req.end();
  return {
    until: (status: string, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the stream saw ${statuses.join(', ')}, not ${status}`)), timeoutMs);
        wake = () => {
          if (!statuses.includes(status)) return;
          clearTimeout(timer);
          resolve();
        };
        wake();
      }),
    close: () => {
      response?.destroy();
      req.destroy();
    },
  };
}

async function runMix(options: {
  instances: number;
  redisUrl?: string;
  seconds: number;
  users: number;
  redisCpu?: () => Promise<number>;
}): Promise<Outcome> {
  const steps = Object.fromEntries(STEPS.map((step) => [step, [] as number[]])) as Record<Step, number[]>;
  const restcomm = await restcommStandIn(steps);
  const proxy = forkChild('./deployment-proxy.ts', {});
  const proxyUrl = await answer<string>(proxy, 'url');
  const instances = Array.from({ length: options.instances }, () =>
    forkChild('./deployment-target.ts', {
      BENCH_PUBLIC_URL: proxyUrl,
      BENCH_RESTCOMM_URL: restcomm.url,
      ...(options.redisUrl ? { BENCH_REDIS_URL: options.redisUrl } : {}),
    }),
  );
  const urls = await Promise.all(instances.map((child) => answer<string>(child, 'url')));
  await answer(proxy, 'ready', { backends: urls });

  const agent = new Agent({ keepAlive: true, maxSockets: options.users * 2 });
  let phone = 100_000;
  let completed = 0;
  let failures = 0;
  const verify = async (wrongFirst: boolean) => {
    const number = `+447400${phone++}`;
    const start = await exchange(agent, proxyUrl, 'POST', '/v1/verifications', { siteKey: 'pk_bench', phone: number });
    if (start.status !== 201) throw new Error(`start: ${start.status} ${JSON.stringify(start.body)}`);
    steps.start.push(start.ms);
    const { id, codeLength } = start.body as { id: string; codeLength: number };
    const stream = follow(proxyUrl, id, (t) => steps['stream (first event)'].push(t));
    try {
      await stream.until('call-ended');
      const status = await exchange(agent, proxyUrl, 'GET', `/v1/verifications/${id}`);
      steps.status.push(status.ms);
      const code = restcomm.callerIdOf(number)!.slice(-codeLength);
      if (wrongFirst) {
        const wrong = await exchange(agent, proxyUrl, 'POST', `/v1/verifications/${id}/check`, {
          code: String((Number(code) + 1) % 10 ** codeLength).padStart(codeLength, '0'),
        });
        if (wrong.status !== 422) throw new Error(`wrong code: ${wrong.status}`);
        steps['check (wrong code)'].push(wrong.ms);
      }
      const check = await exchange(agent, proxyUrl, 'POST', `/v1/verifications/${id}/check`, { code });
      if (check.status !== 200) throw new Error(`check: ${check.status} ${JSON.stringify(check.body)}`);
      steps.check.push(check.ms);
      const redeemed = await exchange(agent, proxyUrl, 'POST', '/v1/siteverify', { secret: 'sk_bench_secret', token: check.body?.token });
      if (redeemed.body?.success !== true) throw new Error(`siteverify: ${redeemed.status} ${JSON.stringify(redeemed.body)}`);
      steps.siteverify.push(redeemed.ms);
      completed++;
    } finally {
      stream.close();
    }
  };

  const cpuBefore = await Promise.all(instances.map(cpuSeconds));
  const proxyBefore = await cpuSeconds(proxy);
  const redisBefore = (await options.redisCpu?.()) ?? 0;
  const began = performance.now();
  const deadline = began + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.users }, async (_, user) => {
      for (let round = 0; performance.now() < deadline; round++) {
        try {
          // One verification in four starts with a wrong code.
          await verify((user + round) % 4 === 0);
        } catch {
          failures++;
        }
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const cpuAfter = await Promise.all(instances.map(cpuSeconds));
  const proxyAfter = await cpuSeconds(proxy);
  const redisAfter = (await options.redisCpu?.()) ?? 0;
  await Promise.all([...instances, proxy].map(stop));
  agent.destroy();
  restcomm.agent.destroy();
  await restcomm.close();
  return {
    completed,
    seconds,
    steps,
    failures,
    cpu: {
      instances: cpuAfter.reduce((sum, after, i) => sum + after - cpuBefore[i]!, 0),
      redis: redisAfter - redisBefore,
      proxy: proxyAfter - proxyBefore,
    },
  };
}

export async function measureDeployment(options: { seconds?: number; users?: number } = {}): Promise<Section> {
  const seconds = options.seconds ?? 20;
  const users = options.users ?? 32;
  const single = await runMix({ instances: 1, seconds, users });
  const redis = await startRedis();
  const raw = new Redis(redis.url);
  let shared: Outcome;
  try {
    const redisCpu = async () => {
      const info = await raw.info('cpu');
      const value = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
      return value('used_cpu_user') + value('used_cpu_sys');
    };
    shared = await runMix({ instances: 2, redisUrl: redis.url, seconds, users, redisCpu });
  } finally {
    raw.disconnect();
    await redis.stop();
  }
  const rate = (o: Outcome) => o.completed / o.seconds;
  const cpuPer = (o: Outcome) => `${((o.cpu.instances / o.completed) * 1000).toFixed(2)} ms`;
  const p = (values: number[]) => (values.length ? `p50 ${ms(percentile(values, 50))}, p99 ${ms(percentile(values, 99))}` : '—');
  const rows: Row[] = [
    {
      measure: `completed verifications/s (${users} users, ${seconds} s)`,
      ours: `two instances + Redis: ${rate(shared).toFixed(1)}/s (${shared.completed}, ${shared.failures} failed)`,
      reference: `one instance, memory store: ${rate(single).toFixed(1)}/s (${single.completed}, ${single.failures} failed)`,
      ratio: rate(shared) / rate(single),
      data: { shared: { ...shared, steps: undefined }, single: { ...single, steps: undefined } },
    },
    {
      measure: 'CPU time per completed verification: instances (Redis; proxy)',
      ours: `${cpuPer(shared)} (Redis ${((shared.cpu.redis / shared.completed) * 1000).toFixed(2)} ms; proxy ${((shared.cpu.proxy / shared.completed) * 1000).toFixed(2)} ms)`,
      reference: `${cpuPer(single)} (proxy ${((single.cpu.proxy / single.completed) * 1000).toFixed(2)} ms)`,
      ratio: shared.cpu.instances / shared.completed / (single.cpu.instances / single.completed),
    },
    ...STEPS.map((step): Row => ({
      measure: `${step}, through the proxy`,
      ours: p(shared.steps[step]),
      reference: p(single.steps[step]),
      data: {
        shared: { count: shared.steps[step].length, p50: percentile(shared.steps[step], 50), p99: percentile(shared.steps[step], 99) },
        single: { count: single.steps[step].length, p50: percentile(single.steps[step], 50), p99: percentile(single.steps[step], 99) },
      },
    })),
  ];
  return {
    title: 'Whole deployment, realistic mix, through a round-robin proxy',
    rows,
    notes: [
      `Each instance, the proxy and Redis in processes of their own; ${users} virtual users in the parent, each running whole verifications back to back for ${seconds} s: start, the event stream until the call has ended, a status read, a wrong code first in one verification of four, the right code, siteverify with the token. A Restcomm stand-in in the parent answers the create-call and posts "ringing" 20 ms later and "no-answer" 80 ms later through the proxy. "stream (first event)" runs from opening the stream to its first status; "callback" is the stand-in's callback answered. CPU time is the instances' own (process.cpuUsage), Redis's from INFO, the proxy's apart; all share 2 cores with the load generator.`,
    ],
  };
}
