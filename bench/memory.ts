/**
 * Memory per pending verification: the heap the memory store holds (a child process with --expose-gc),
 * and the bytes Redis reports with MEMORY USAGE for the keys one verification writes.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { createFlashCallApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { RedisStore } from '../server/store/redis.js';
import { startRedis } from '../test/support/redis-server.js';
import { MEASURED_DAILY_CAPS, MEASURED_LIMITS, type Section } from './lib.js';

const run = promisify(execFile);

async function heap(pending: number): Promise<{ perVerification: number; entriesPerVerification: number }> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', new URL('./memory-heap.ts', import.meta.url).pathname],
    {
      env: { ...process.env, BENCH_PENDING: String(pending) },
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as { perVerification: number; entriesPerVerification: number };
}

async function redisBytes(count: number): Promise<{ session: number; all: number; keys: number; byKind: Record<string, number> }> {
  const server = await startRedis();
  const store = new RedisStore({ url: server.url, log: () => {} });
  const redis = new Redis(server.url);
  try {
    let calls = 0;
    let address = 0;
    const { app } = createFlashCallApp({
      config: loadConfig({ PORT: '0', FCV_LIMITS: MEASURED_LIMITS, FCV_DAILY_CAPS: MEASURED_DAILY_CAPS }),
      store,
      provider: { placeCall: async () => ({ sid: `CA${(++calls).toString(16).padStart(32, '0')}` }), hangUp: async () => {} },
      clientIp: () => `10.0.${(address >> 8) & 255}.${address++ & 255}`,
    });
    // Shared counters (per site, per site and country) are written once whatever the count: started first, left out.
    const start = async (i: number) => {
      const r = await app.request('http://localhost/v1/verifications', {
        method: 'POST',
        headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' },
        body: JSON.stringify({ siteKey: 'pk_sandbox', phone: `+4474${String(i).padStart(8, '0')}` }),
      });
      if (r.status !== 201) throw new Error(`start: ${r.status} ${await r.text()}`);
    };
    await start(0);
    const shared = new Set(await redis.keys('*'));
    for (let i = 1; i <= count; i++) await start(i);
    const byKind: Record<string, number> = {};
    let all = 0;
    let keys = 0;
    for (const key of await redis.keys('*')) {
      if (shared.has(key)) continue;
      const bytes = Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
      const kind = key.replace(/\{[^}]*\}/, '{…}').replace(/[+\d.]{6,}/g, '…');
      byKind[kind] = (byKind[kind] ?? 0) + bytes;
      all += bytes;
      keys++;
    }
    const session = Object.entries(byKind).find(([k]) => k.endsWith(':session'))?.[1] ?? NaN;
    for (const k of Object.keys(byKind)) byKind[k] = byKind[k]! / count;
    return { session: session / count, all: all / count, keys: keys / count, byKind };
  } finally {
    redis.disconnect();
    await store.close();
    await server.stop();
  }
}

export async function measureMemory(options: { pending?: number; redisSessions?: number } = {}): Promise<Section> {
  const pending = options.pending ?? 100_000;
  const redisSessions = options.redisSessions ?? 1000;
  const h = await heap(pending);
  const r = await redisBytes(redisSessions);
  return {
    title: 'Memory per pending verification',
    rows: [
      {
        measure: `memory store: heap per pending verification, ${pending.toLocaleString('en')} pending`,
        ours: `${Math.round(h.perVerification)} B (${h.entriesPerVerification} entries each)`,
        target: '<= 1 KB',
        met: h.perVerification <= 1000,
        data: h,
      },
      {
        measure: 'Redis: session key (MEMORY USAGE)',
        ours: `${Math.round(r.session)} B`,
        target: '<= 600 B',
        met: r.session <= 600,
        data: r,
      },
      {
        measure: `Redis: every key one verification writes (${r.keys} keys)`,
        ours: `${Math.round(r.all)} B`,
        data: r.byKind,
      },
    ],
    notes: [
      'Heap: verifications started through the app in a separate process, each from its own address and number under the default per-number and per-address limits (the site-wide caps raised, one counter each); heapUsed after forced full collections, before and after, divided by the count. It covers the session, the resend cooldown and the per-number and per-address limit counters.',
      `Redis: ${redisSessions} verifications into a fresh redis-server, MEMORY USAGE … SAMPLES 0 of every key they wrote, averaged; shared per-site counters left out.`,
    ],
  };
}
