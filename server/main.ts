import { ConfigError } from './config.js';
import { jsonLogger } from './log.js';
import { startServer } from './serve.js';

const log = jsonLogger();

let running;
try {
  running = await startServer({ log });
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`flash-call-verify: bad configuration: ${error.message}\n`);
    process.exit(1);
  }
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`flash-call-verify: port ${process.env.PORT ?? 8787} is already in use; set PORT to another.\n`);
    process.exit(1);
  }
  throw error;
}

const { url, config, metricsUrl, host, port } = running;
if (config.mode === 'sandbox') {
  const loopback = host === '127.0.0.1' || host === '::1' || host.startsWith('127.');
  const listening = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  process.stdout.write(
    [
      '',
      `flash-call-verify sandbox on ${url}`,
      loopback
        ? `  Listening on ${listening}: this machine only (HOST=0.0.0.0 opens it to the network).`
        : `  Listening on ${listening}: reachable from other machines. The sandbox verifies any number without a call; never expose it to the internet.`,
      '',
      `  Demo page:      ${url}/`,
      `  The element:    ${url}/widget.js   (site key pk_sandbox, secret sk_sandbox)`,
      `  Sandbox phone:  ${url}/sandbox/calls`,
      '',
      '  Try the API with curl:',
      `    curl -s ${url}/v1/verifications -H 'Origin: ${url}' -H 'Content-Type: application/json' \\`,
      `         -d '{"siteKey":"pk_sandbox","phone":"+447418301234"}'`,
      `    curl -s ${url}/sandbox/calls          # the caller ID's last digits are the code`,
      `    curl -s ${url}/v1/verifications/ID/check -H 'Origin: ${url}' -H 'Content-Type: application/json' -d '{"code":"1234"}'`,
      `    curl -s ${url}/v1/siteverify -d secret=sk_sandbox -d token=TOKEN`,
      '',
      `  Sandbox mode: calls go to the built-in emulator, never to a phone. Store: ${config.redisUrl ? 'Redis' : 'memory'}.`,
      ...(metricsUrl ? [`  Metrics:        ${metricsUrl}`] : []),
      '',
    ].join('\n') + '\n',
  );
} else {
  log('info', 'server.started', { url, host, port, publicUrl: config.publicUrl, store: config.redisUrl ? 'redis' : 'memory', metrics: metricsUrl });
  if (!config.redisUrl) log('warn', 'store.memory', { note: 'REDIS_URL is not set: state lives in this process only' });
}

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(1);
    closing = true;
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
