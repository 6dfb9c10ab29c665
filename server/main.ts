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

const { url, config, metricsUrl } = running;
if (config.mode === 'sandbox') {
  process.stdout.write(
    [
      '',
      `flash-call-verify sandbox on ${url}`,
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
      '  No Restcomm credentials are set, so calls go to the built-in emulator. Store: memory.',
      ...(metricsUrl ? [`  Metrics:        ${metricsUrl}`] : []),
      '',
    ].join('\n') + '\n',
  );
} else {
  log('info', 'server.started', { url, publicUrl: config.publicUrl, store: config.redisUrl ? 'redis' : 'memory', metrics: metricsUrl });
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
