/**
 * Open event streams: memory per stream against a bare node:http server sending the same events, each in a
 * child process of its own, one after the other in the same run; then, with every stream still open, how
 * long a change takes to reach its stream while the server keeps answering starts, checks and siteverify.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { request, type ClientRequest } from 'node:http';
import { ms, percentile, type Section } from './lib.js';

const ORIGIN = 'http://localhost:5173';

interface Target {
  child: ChildProcess;
  url: string;
  sessions: Array<{ id: string; code: string }>;
}

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

async function startTarget(kind: 'ours' | 'bare', sessions: number): Promise<Target> {
  const child = fork(new URL('./streams-target.ts', import.meta.url).pathname, [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, BENCH_STREAMS_KIND: kind, BENCH_STREAMS_SESSIONS: String(sessions) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string; sessions: Target['sessions'] }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { url: string; sessions: Target['sessions'] }));
    child.once('exit', (code) => reject(new Error(`the ${kind} stream server exited (${code})`)));
  });
  return { child, ...ready };
}

function ask<T>(child: ChildProcess, question: 'memory' | 'published'): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      const answer = (message as Record<string, unknown>)[question];
      if (answer === undefined) return;
      child.off('message', onMessage);
      resolve(answer as T);
    };
    child.on('message', onMessage);
    child.send(question);
  });
}

const memoryOf = (child: ChildProcess) => ask<Memory>(child, 'memory');
/** Wall-clock time, to the microsecond, that processes on one machine share. */
const now = () => performance.timeOrigin + performance.now();

async function stop(target: Target): Promise<void> {
  const exited = new Promise((resolve) => target.child.once('exit', resolve));
  target.child.send('stop');
  await exited;
}

/** An open stream that counts the status events it has seen and wakes whoever waits for the next one. */
class Stream {
  statuses = 0;
  /** When the latest status event arrived. */
  lastAt = 0;
  #waiters: Array<() => void> = [];
  readonly request: ClientRequest;
  constructor(url: string) {
    this.request = request(url, { headers: { origin: ORIGIN, accept: 'text/event-stream' }, agent: false }, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        let at = 0;
        while ((at = chunk.indexOf('event: status', at) + 1) > 0) {
          this.statuses++;
          this.lastAt = now();
        }
        if (chunk.includes('event: status')) for (const wake of this.#waiters.splice(0)) wake();
      });
    });
    this.request.on('error', () => {});
    this.request.end();
  }
  /** Resolves once `count` status events have arrived. */
  until(count: number): Promise<void> {
    if (this.statuses >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => (this.statuses >= count ? resolve() : this.#waiters.push(check));
      this.#waiters.push(check);
    });
  }
  close(): void {
    this.request.destroy();
  }
}

async function openStreams(target: Target, count: number): Promise<Stream[]> {
  const streams: Stream[] = [];
  // In batches, so the listen backlog never overflows.
  for (let i = 0; i < count; i += 250) {
    const batch = target.sessions
      .slice(i, Math.min(count, i + 250))
      .map(({ id }) => new Stream(`${target.url}/v1/verifications/${id}/events`));
    await Promise.all(batch.map((stream) => stream.until(1)));
    streams.push(...batch);
  }
  return streams;
}

async function memoryPerStream(
  kind: 'ours' | 'bare',
  count: number,
): Promise<{ target: Target; streams: Stream[]; rss: number; heap: number; external: number }> {
  const target = await startTarget(kind, count);
  const before = await memoryOf(target.child);
  const streams = await openStreams(target, count);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await memoryOf(target.child);
  return {
    target,
    streams,
    rss: (after.rss - before.rss) / count,
    heap: (after.heapUsed - before.heapUsed) / count,
    external: (after.external - before.external) / count,
  };
}

async function post(url: string, body: unknown): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

/**
 * Wrong codes to sessions whose streams are open, one every few milliseconds, each timed from the request
 * leaving to its stream's next status event; starts and siteverify calls run beside them all along.
 */
async function eventLatency(target: Target, streams: Stream[], events: number) {
  const latencies: number[] = [];
  const sinceAnnounced: Array<{ id: string; at: number }> = [];
  const answers = { start: [] as number[], check: [] as number[], siteverify: [] as number[] };
  let running = true;
  let phone = 500_000;
  const background = (async () => {
    while (running) {
      const [start, siteverify] = await Promise.all([
        post(`${target.url}/v1/verifications`, { siteKey: 'pk_sandbox', phone: `+447400${phone++}` }),
        post(`${target.url}/v1/siteverify`, { secret: 'sk_sandbox', token: 'fcvt_AAAAAAAAAAAAAAAAAAAAAAAAAAA' }),
      ]);
      if (start.status === 201) answers.start.push(start.ms);
      answers.siteverify.push(siteverify.ms);
    }
  })();
  const one = async (i: number) => {
    const index = (i * 7919) % streams.length;
    const stream = streams[index]!;
    const { id, code } = target.sessions[index]!;
    const seen = stream.statuses;
    const started = performance.now();
    const arrived = stream.until(seen + 1).then(() => {
      sinceAnnounced.push({ id, at: stream.lastAt });
      return performance.now() - started;
    });
    const wrong = String((Number(code) + 1) % 10 ** code.length).padStart(code.length, '0');
    const check = await post(`${target.url}/v1/verifications/${id}/check`, { code: wrong });
    answers.check.push(check.ms);
    latencies.push(await arrived);
  };
  const pending: Promise<void>[] = [];
  for (let i = 0; i < events; i++) {
    pending.push(one(i));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await Promise.all(pending);
  running = false;
  await background;
  const published = await ask<Record<string, number>>(target.child, 'published');
  const fanOut = sinceAnnounced.map(({ id, at }) => at - published[id]!);
  return { latencies, fanOut, answers };
}

export async function measureStreams(options: { streams?: number; events?: number } = {}): Promise<Section> {
  const count = options.streams ?? 10_000;
  const events = options.events ?? 500;
  const bare = await memoryPerStream('bare', count);
  for (const stream of bare.streams) stream.close();
  await stop(bare.target);
  const ours = await memoryPerStream('ours', count);
  let latency;
  try {
    latency = await eventLatency(ours.target, ours.streams, events);
  } finally {
    for (const stream of ours.streams) stream.close();
    await stop(ours.target);
  }
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const p = (values: number[]) => `p50 ${ms(percentile(values, 50))}, p99 ${ms(percentile(values, 99))}`;
  const p99 = percentile(latency.fanOut, 99);
  return {
    title: `Open event streams, ${count.toLocaleString('en')} at once on one instance`,
    rows: [
      {
        measure: 'memory per open stream (RSS; heap in brackets)',
        ours: `${kib(ours.rss)} (${kib(ours.heap)})`,
        reference: `bare node:http SSE: ${kib(bare.rss)} (${kib(bare.heap)})`,
        ratio: ours.rss / bare.rss,
        target: '<= 1.5x',
        met: ours.rss / bare.rss <= 1.5,
        data: {
          ours: { rss: ours.rss, heap: ours.heap, external: ours.external },
          bare: { rss: bare.rss, heap: bare.heap, external: bare.external },
        },
      },
      {
        measure: `a change reaching its open stream, from its announcement (${events} wrong codes)`,
        ours: p(latency.fanOut),
        target: 'p99 < 100 ms',
        met: p99 < 100,
        data: { events: latency.fanOut.length, p50: percentile(latency.fanOut, 50), p99 },
      },
      {
        measure: 'the same, from the wrong code being sent',
        ours: p(latency.latencies),
        data: { p50: percentile(latency.latencies, 50), p99: percentile(latency.latencies, 99) },
      },
      {
        measure: 'answers meanwhile: start / check / siteverify',
        ours: `${p(latency.answers.start)} / ${p(latency.answers.check)} / ${p(latency.answers.siteverify)}`,
        data: { start: latency.answers.start.length, check: latency.answers.check.length, siteverify: latency.answers.siteverify.length },
      },
    ],
    notes: [
      `Each server in a child process of its own with --expose-gc, one stream per session, ${count.toLocaleString('en')} streams each over its own connection from the parent; memory after full collections before the streams are opened and a second after, divided by the count. The bare server writes the same headers and status event and a heartbeat comment from a timer per stream. Then, with every stream of ours open, wrong codes (one every 5 ms) to sessions picked across them, while starts and siteverify calls run back to back beside them. Each change is timed from the server announcing it (the store's publish, stamped in the server's process) to its status event reaching the stream in the parent, on the wall clock both processes share; and again from the wrong code's request leaving, which adds the check's own time in the queue. Needs a file descriptor limit above twice the stream count (ulimit -n) for the two processes' sockets.`,
    ],
  };
}
