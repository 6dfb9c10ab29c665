/**
 * One production instance for the deployment benchmark, in a process of its own: the real Restcomm driver
 * pointed at the parent's stand-in, the store the parent's environment selects (REDIS_URL, or memory).
 * Reports its URL over IPC, and its CPU time whenever asked.
 */
import { startServer } from '../server/serve.js';
import { LOAD_LIMITS } from './lib.js';

const server = await startServer({
  env: {
    PORT: '0',
    HOST: '127.0.0.1',
    PUBLIC_URL: process.env.BENCH_PUBLIC_URL!,
    RESTCOMM_BASE_URL: `${process.env.BENCH_RESTCOMM_URL}/restcomm`,
    RESTCOMM_ACCOUNT_SID: 'AC00000000000000000000000000000000',
    RESTCOMM_AUTH_TOKEN: 'bench-token-0000000000',
    FCV_CALLER_IDS: '+44741830XXXX',
    FCV_SECRET: 'bench-7Kq2xV9mT4pL8wR3nB6yH1cF5dJ0sGa',
    FCV_SITES: JSON.stringify([{ siteKey: 'pk_bench', secret: 'sk_bench_secret', origins: ['https://shop.example'] }]),
    ...LOAD_LIMITS,
    ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
  },
});

process.send!({ url: server.url });
process.on('message', (message) => {
  if (message === 'cpu') process.send!({ cpu: process.cpuUsage() });
  if (message === 'stop') void server.close(100).then(() => process.exit(0));
});
