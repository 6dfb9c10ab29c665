/**
 * The load balancer of the deployment benchmark: a small round-robin HTTP proxy in a process of its own,
 * streaming answers through as they come (event streams included). The parent sends the backends' URLs.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

let backends: URL[] = [];
let next = 0;
const agent = new Agent({ keepAlive: true, maxSockets: 512 });

const server = createServer((incoming, outgoing) => {
  const backend = backends[next++ % backends.length]!;
  const upstream = request(
    { host: backend.hostname, port: backend.port, method: incoming.method, path: incoming.url, headers: incoming.headers, agent },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  upstream.on('error', () => {
    if (!outgoing.headersSent) outgoing.writeHead(502);
    outgoing.end();
  });
  outgoing.on('close', () => upstream.destroy());
  incoming.pipe(upstream);
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
process.on('message', (message: { backends?: string[] } | string) => {
  if (typeof message === 'object' && message.backends) {
    backends = message.backends.map((url) => new URL(url));
    process.send!({ ready: true });
  }
  if (message === 'cpu') process.send!({ cpu: process.cpuUsage() });
  if (message === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
