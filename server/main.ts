import { ConfigError, loadConfig } from './config.js';
import { jsonLogger } from './log.js';
import type { RunningServer } from './serve.js';
import { startServer } from './serve.js';

const log = jsonLogger();

function fail(error: unknown): never {
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

let running: RunningServer;
try {
  // The mode is decided before anything else loads: production never imports the sandbox or the demo.
  if (loadConfig(process.env).mode === 'sandbox') {
    const { startSandboxServer, sandboxBanner } = await import('../sandbox/index.js');
    running = await startSandboxServer({ log });
    process.stdout.write(sandboxBanner(running));
  } else {
    running = await startServer({ log });
    const { url, config, metricsUrl, host, port } = running;
    log('info', 'server.started', {
      url,
      host,
      port,
      publicUrl: config.publicUrl,
      store: config.redisClusterNodes ? 'redis-cluster' : config.redisUrl ? 'redis' : 'memory',
      metrics: metricsUrl,
    });
    if (!config.redisUrl && !config.redisClusterNodes) {
      log('warn', 'store.memory', { note: 'neither REDIS_URL nor REDIS_CLUSTER_NODES is set: state lives in this process only' });
    }
  }
} catch (error) {
  fail(error);
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
