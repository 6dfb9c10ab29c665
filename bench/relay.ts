/**
 * Relay overhead: from the moment a start request leaves the client to the moment a local Restcomm double
 * receives the create-call request. The server runs in production mode with the real Restcomm driver,
 * pointed at the double, in a process of its own (see relay-target.ts); the client and the double share
 * this process and its clock. One request at a time.
 */
import { fork } from 'node:child_process';
import { createServer, request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { median, ms, percentile, type Section } from './lib.js';

export async function measureRelay(options: { requests?: number } = {}): Promise<Section> {
  const count = options.requests ?? 2000;
  let received: ((at: number) => void) | undefined;
  let sid = 0;
  const double = createServer((req, res) => {
    const at = performance.now();
    if (req.method === 'POST' && /\/Calls\.json$/.test(req.url ?? '')) received?.(at);
    req.resume();
    req.on('end', () => {
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ sid: `CA${(++sid).toString(16).padStart(32, '0')}`, status: 'queued' }));
    });
  });
  await new Promise<void>((resolve) => double.listen(0, '127.0.0.1', resolve));
  const doubleUrl = `http://127.0.0.1:${(double.address() as AddressInfo).port}`;
  const child = fork(new URL('./relay-target.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_DOUBLE_URL: doubleUrl, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const server = await new Promise<{ url: string; bareUrl: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { url: string; bareUrl: string }));
    child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before it was ready`)));
  });
  const agents = [new Agent({ keepAlive: true, maxSockets: 1 }), new Agent({ keepAlive: true, maxSockets: 1 })];
  const post = (url: string, agent: Agent, phone: string) =>
    new Promise<{ sent: number; status: number }>((resolve, reject) => {
      const body = JSON.stringify({ siteKey: 'pk_bench', phone });
      const { port, pathname } = new URL(url);
      const sent = performance.now();
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: pathname,
          agent,
          headers: { origin: 'https://shop.example', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ sent, status: res.statusCode ?? 0 }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const targets = [`${server.url}/v1/verifications`, `${server.bareUrl}/bare`];
  const samples: number[][] = [[], []];
  try {
    // Ours and the bare relay take turns, so both meet the same moments of the machine.
    for (let i = 0; i < 2 * (count + 200); i++) {
      const which = i % 2;
      const arrived = new Promise<number>((resolve) => (received = resolve));
      const { sent, status } = await post(targets[which]!, agents[which]!, `+447400${String(i).padStart(6, '0')}`);
      if (status !== 201) throw new Error(`${targets[which]} answered ${status}`);
      // The first 200 of each warm the code paths up and are not counted.
      if (i >= 400) samples[which]!.push((await arrived) - sent);
    }
  } finally {
    for (const agent of agents) agent.destroy();
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    double.close();
  }
  const [ours, bare] = samples as [number[], number[]];
  const p50 = median(ours);
  const p99 = percentile(ours, 99);
  const bareP50 = median(bare);
  const bareP99 = percentile(bare, 99);
  return {
    title: 'Relay overhead (start request to the provider receiving create-call)',
    rows: [
      {
        measure: `POST /v1/verifications -> Restcomm double, ${count} sequential starts`,
        ours: `p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(Math.max(...ours))}`,
        reference: `bare Hono relay: p50 ${ms(bareP50)}, p99 ${ms(bareP99)}, max ${ms(Math.max(...bare))}`,
        ratio: p99 / bareP99,
        target: 'p99 <= 2 ms',
        met: p99 <= 2,
        data: { p50, p99, bareP50, bareP99, samples: ours.length },
      },
    ],
    notes: [
      'Production mode with the real Restcomm driver (HTTP Basic, form body) over loopback to a Node HTTP double that answers 201 with a call sid; memory store; one request at a time on a kept-alive connection; the server in a process of its own, the client and the double in another sharing one clock; 200 warm-up starts uncounted.',
      'The reference is the least a relay can do on the same adapter, in the same process as ours: read the JSON body and post one form to the double with fetch. Ours and it take turns, request by request; the ratio is of the p99s. Whatever the reference spends is the floor this machine sets: two loopback hops between processes.',
    ],
  };
}
