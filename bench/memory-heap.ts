/**
 * Heap held per pending verification in the memory store: N verifications started through the app (as
 * from N visitors, each from its own address), the heap measured after full collections before and after.
 * Run with --expose-gc; prints one JSON line.
 */
import { createFlashCallApp } from '../server/app.js';
import { loadConfig } from '../server/config.js';
import { MemoryStore } from '../server/store/memory.js';
import type { TelephonyProvider } from '../server/telephony/provider.js';
import { MEASURED_DAILY_CAPS, MEASURED_LIMITS } from './lib.js';

const N = Number(process.env.BENCH_PENDING ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

let calls = 0;
const provider: TelephonyProvider = {
  async placeCall() {
    return { sid: `CA${(++calls).toString(16).padStart(32, '0')}` };
  },
  async hangUp() {},
};
let address = 0;
const config = loadConfig({ PORT: '0', FCV_LIMITS: MEASURED_LIMITS, FCV_DAILY_CAPS: MEASURED_DAILY_CAPS });
const store = new MemoryStore();
const { app } = createFlashCallApp({
  config,
  store,
  provider,
  clientIp: () => `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address++ & 255}`,
});

async function start(i: number): Promise<void> {
  const response = await app.request('http://localhost/v1/verifications', {
    method: 'POST',
    headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' },
    body: JSON.stringify({ siteKey: 'pk_sandbox', phone: `+4474${String(i).padStart(8, '0')}` }),
  });
  if (response.status !== 201) throw new Error(`start ${i}: ${response.status} ${await response.text()}`);
}

const settle = async () => {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
};

// A few hundred first, so code compiled on first use is not counted as data.
for (let i = 0; i < 500; i++) await start(i);
const before = await settle();
const entriesBefore = store.size;
for (let i = 500; i < 500 + N; i += 500) await Promise.all(Array.from({ length: 500 }, (_, k) => start(i + k)));
const after = await settle();
console.log(
  JSON.stringify({
    pending: N,
    heapBytes: after - before,
    perVerification: (after - before) / N,
    entriesPerVerification: (store.size - entriesBefore) / N,
  }),
);
await store.close();
