/**
 * The servers the relay benchmark times, in a process of its own as they run in production: ours, with
 * the real Restcomm driver pointed at the double whose URL the parent passes in, and the least a relay can
 * be on the same adapter: a bare Hono route that reads the JSON body and posts one form to the double with
 * fetch, as the driver does. Reports both URLs over IPC.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { startServer } from '../server/serve.js';
import { LOAD_LIMITS } from './lib.js';

const server = await startServer({
  env: {
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://verify.example.com',
    RESTCOMM_BASE_URL: `${process.env.BENCH_DOUBLE_URL}/restcomm`,
    RESTCOMM_ACCOUNT_SID: 'AC00000000000000000000000000000000',
    RESTCOMM_AUTH_TOKEN: 'bench-token-0000000000',
    FCV_CALLER_IDS: '+44741830XXXX',
    FCV_SECRET: 'bench-7Kq2xV9mT4pL8wR3nB6yH1cF5dJ0sGa',
    FCV_SITES: JSON.stringify([{ siteKey: 'pk_bench', secret: 'sk_bench_secret', origins: ['https://shop.example'] }]),
    ...LOAD_LIMITS,
  },
});
const callsUrl = `${process.env.BENCH_DOUBLE_URL}/restcomm/2012-04-24/Accounts/AC00000000000000000000000000000000/Calls.json`;
const bare = new Hono();
bare.post('/bare', async (c) => {
  const { phone } = await c.req.json<{ phone: string }>();
  const answer = await fetch(callsUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ From: '+447418301234', To: phone, Url: 'https://verify.example.com/rcml' }).toString(),
  });
  return c.json(await answer.json(), 201);
});
const bareServer = serve({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise<void>((resolve) => (bareServer.listening ? resolve() : bareServer.once('listening', () => resolve())));

process.send!({ url: server.url, bareUrl: `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}` });
process.on('message', (message) => {
  if (message === 'stop') {
    bareServer.close();
    void server.close(100).then(() => process.exit(0));
  }
});
