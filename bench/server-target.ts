/**
 * The server under load, in a process of its own so the load generator has the other core. Listens twice
 * on loopback with the same adapter (@hono/node-server): the whole app, with a provider that answers at
 * once so only the server's own work is timed, and a bare Hono app with one JSON route per method.
 * Reports its URLs, and sessions started beforehand with their codes, to the parent over IPC.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { startServer } from '../server/serve.js';
import type { PlaceCallRequest, TelephonyProvider } from '../server/telephony/provider.js';
import { LOAD_LIMITS } from './lib.js';

export const ORIGIN = 'http://localhost:5173';
const PRESTARTED = Number(process.env.BENCH_PRESTARTED ?? 60_000);

const fromByPhone = new Map<string, string>();
let calls = 0;
const provider: TelephonyProvider = {
  async placeCall(request: PlaceCallRequest) {
    fromByPhone.set(request.to, request.from);
    return { sid: `CA${(++calls).toString(16).padStart(32, '0')}` };
  },
  async hangUp() {},
};

const server = await startServer({
  env: {
    PORT: '0',
    HOST: '127.0.0.1',
    // One address sends everything here, and the resend cooldown would refuse repeated numbers.
    ...LOAD_LIMITS,
  },
  provider,
});

// The view a status request returns, so both sides serialise a body of the same shape and size.
const sample = {
  id: 'v_0123456789abcdefghijkl',
  status: 'calling',
  phone: '+447400123456',
  codeLength: 4,
  callerIdPrefix: '+44741830',
  expiresAt: new Date().toISOString(),
  resendAt: new Date().toISOString(),
  attemptsLeft: 3,
};
const bare = new Hono();
bare.get('/bare', (c) => c.json(sample));
bare.post('/bare', async (c) => c.json({ ...sample, echo: await c.req.json() }, 201));
const bareServer = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise<void>((resolve) => (bareServer.listening ? resolve() : bareServer.once('listening', () => resolve())));

/** UK mobile numbers, one per verification, so no per-number rule interferes. */
export function benchPhone(i: number): string {
  return `+447400${String(i % 1_000_000).padStart(6, '0')}`;
}

async function startOne(phone: string): Promise<{ id: string; code: string }> {
  const response = await server.app.request(`${server.url}/v1/verifications`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ siteKey: 'pk_sandbox', phone }),
  });
  const body = (await response.json()) as { id: string; codeLength: number };
  if (response.status !== 201) throw new Error(`start ${phone}: ${response.status} ${JSON.stringify(body)}`);
  return { id: body.id, code: fromByPhone.get(phone)!.slice(-body.codeLength) };
}

// Sessions for the check benchmark, each checked once with its right code: the full success path.
const sessions: Array<{ id: string; code: string }> = [];
for (let i = 0; i < PRESTARTED; i += 200) {
  const batch = Array.from({ length: Math.min(200, PRESTARTED - i) }, (_, k) => startOne(benchPhone(900_000 + ((i + k) % 100_000))));
  sessions.push(...(await Promise.all(batch)));
}

process.send!({
  url: server.url,
  bareUrl: `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`,
  sessions,
});
process.on('message', (message) => {
  if (message === 'collect') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send!('collected');
  }
  // CPU time this process has used so far, in microseconds (bench/compare.ts works out the time per request).
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ cpu: user + system });
  }
  if (message === 'stop') {
    bareServer.close();
    void server.close(100).then(() => process.exit(0));
  }
});
