import { createDemoApp } from '../demo/app.js';
import { createRestcommProvider } from '../server/restcomm/driver.js';
import type { TelephonyProvider } from '../server/telephony/provider.js';
import type { LogLevel } from '../server/log.js';
import { startServer } from '../server/serve.js';
import type { ListeningServer, RunningServer, ServerExtension, StartServerOptions } from '../server/serve.js';
import { createSandboxRoutes } from './phone-routes.js';
import { createRestcommEmulator } from './restcomm-emulator.js';
import type { RestcommEmulator } from './restcomm-emulator.js';

export interface RunningSandbox extends RunningServer {
  /** The in-process Restcomm the server calls. */
  emulator: RestcommEmulator;
  /**
   * The real driver with the emulator's credentials: calls and texts through it reach the sandbox phone as the
   * server's own do (the server's provider, unless `provider` replaced it).
   */
  restcomm: Required<TelephonyProvider>;
}

/**
 * The sandbox on top of the production server: the Restcomm emulator under `/sandbox/restcomm`, called over
 * this server's own port by the real driver; the sandbox phone's API under `/sandbox`; the demo at `/`.
 */
export function sandboxLayer(onEmulator: (emulator: RestcommEmulator, restcomm: Required<TelephonyProvider>) => void = () => {}) {
  return ({ config, selfUrl, clock, random, log }: ListeningServer): ServerExtension => {
    if (config.mode !== 'sandbox') throw new Error('The sandbox runs only in sandbox mode.');
    // Fresh credentials per process: nothing outside can call the emulator as the server does.
    const accountSid = `AC${Buffer.from(random.bytes(16)).toString('hex')}`;
    const authToken = Buffer.from(random.bytes(16)).toString('hex');
    const emulator = createRestcommEmulator({
      accountSid,
      authToken,
      random,
      clock,
      log: ({ level, event, ...fields }) =>
        log(isLevel(level) ? level : 'debug', typeof event === 'string' ? event : 'sandbox.restcomm', fields),
    });
    const restcomm = createRestcommProvider({ baseUrl: `${selfUrl}/sandbox/restcomm`, accountSid, authToken });
    onEmulator(emulator, restcomm);
    return {
      provider: restcomm,
      mounts: {
        '/sandbox/restcomm': emulator.app,
        '/sandbox': createSandboxRoutes(emulator),
        '/': createDemoApp({
          siteverifyUrl: `${selfUrl}/v1/siteverify`,
          challengesUrl: `${selfUrl}/v1/challenges`,
          siteKey: 'pk_sandbox',
          secret: 'sk_sandbox',
          callerIds: config.callerIds,
          ...(config.voiceCallerId ? { voiceCallerIds: [config.voiceCallerId] } : {}),
        }),
      },
      close: () => emulator.close(),
    };
  };
}

/** Starts the sandbox as `npm start` does: `startServer` with the sandbox layer on top. A `provider` replaces the emulator's driver; the emulator still serves the sandbox phone. */
export async function startSandboxServer(options: Omit<StartServerOptions, 'extend'> = {}): Promise<RunningSandbox> {
  let emulator: RestcommEmulator | undefined;
  let restcomm: Required<TelephonyProvider> | undefined;
  const running = await startServer({
    ...options,
    extend: sandboxLayer((created, driver) => {
      emulator = created;
      restcomm = driver;
    }),
  });
  return { ...running, emulator: emulator!, restcomm: restcomm! };
}

function isLevel(value: unknown): value is LogLevel {
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error';
}
