/**
 * One side of the open-streams measurement, in a process of its own started with --expose-gc: the whole
 * server (memory store, a provider that answers at once) with sessions started beforehand, or a bare
 * node:http server sending the same Server-Sent Events. Reports its URL and the session ids over IPC, and
 * its memory after full collections whenever the parent asks.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServer } from '../server/serve.js';
import { MemoryStore } from '../server/store/memory.js';
import type { PlaceCallRequest, TelephonyProvider } from '../server/telephony/provider.js';
import { LOAD_LIMITS } from './lib.js';

export const ORIGIN = 'http://localhost:5173';
const KIND = process.env.BENCH_STREAMS_KIND === 'bare' ? 'bare' : 'ours';
const SESSIONS = Number(process.env.BENCH_STREAMS_SESSIONS ?? 10_000);
const HEARTBEAT_MS = 15_000;

/** The status event of a session in progress, the same shape and size as ours. */
function sampleView(id: string): string {
  return JSON.stringify({
    id,
    status: 'ringing',
    phone: '+447400123456',
    codeLength: 4,
    callerIdPrefix: '+44741830',
    expiresAt: new Date(Date.now() + 300_000).toISOString(),
    resendAt: new Date(Date.now() + 30_000).toISOString(),
    attemptsLeft: 3,
  });
}

/** When each session's latest change was announced, on the clock every process of this machine shares. */
const publishedAt = new Map<string, number>();
class TimedStore extends MemoryStore {
  override publish(sessionId: string): Promise<void> {
    publishedAt.set(sessionId, performance.timeOrigin + performance.now());
    return super.publish(sessionId);
  }
}
const store = new TimedStore();

async function ours(): Promise<{ url: string; sessions: Array<{ id: string; code: string }>; close: () => Promise<void> }> {
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
    store,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      ...LOAD_LIMITS,
      FCV_TTL_SECONDS: '3600',
    },
    provider,
  });
  const sessions: Array<{ id: string; code: string }> = [];
  for (let i = 0; i < SESSIONS; i += 200) {
    const batch = Array.from({ length: Math.min(200, SESSIONS - i) }, async (_, k) => {
      const phone = `+447400${String(i + k).padStart(6, '0')}`;
      const response = await server.app.request(`${server.url}/v1/verifications`, {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ siteKey: 'pk_sandbox', phone }),
      });
      const body = (await response.json()) as { id: string; codeLength: number };
      if (response.status !== 201) throw new Error(`start ${phone}: ${response.status} ${JSON.stringify(body)}`);
      return { id: body.id, code: fromByPhone.get(phone)!.slice(-body.codeLength) };
    });
    sessions.push(...(await Promise.all(batch)));
  }
  return { url: server.url, sessions, close: () => server.close(100) };
}

/** The least a server can do: headers, the status event, and a heartbeat comment on a timer per stream. */
async function bare(): Promise<{ url: string; sessions: Array<{ id: string; code: string }>; close: () => Promise<void> }> {
  const server = createServer((request, response) => {
    const id = request.url!.split('/')[3] ?? '';
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    response.write(`event: status\ndata: ${sampleView(id)}\n\n`);
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    response.on('close', () => clearInterval(heartbeat));
  });
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sessions = Array.from({ length: SESSIONS }, (_, i) => ({ id: `v_${String(i).padStart(22, '0')}`, code: '0000' }));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function memory(): { rss: number; heapUsed: number; external: number } {
  for (let i = 0; i < 4; i++) globalThis.gc!();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external: external + arrayBuffers };
}

const target = KIND === 'bare' ? await bare() : await ours();
process.send!({ url: target.url, sessions: target.sessions });
process.on('message', (message) => {
  if (message === 'memory') process.send!({ memory: memory() });
  if (message === 'published') process.send!({ published: Object.fromEntries(publishedAt) });
  if (typeof message === 'string' && message.startsWith('snapshot:')) {
    globalThis.gc!();
    void import('node:v8').then((v8) => process.send!({ snapshot: v8.writeHeapSnapshot(message.slice(9)) }));
  }
  if (message === 'stop') void target.close().then(() => process.exit(0));
});
