import type { Hono } from 'hono';
import { createFlashCallApp } from '../../server/app.js';
import type { Clock } from '../../server/clock.js';
import type { Env } from '../../server/config.js';
import { loadConfig } from '../../server/config.js';
import type { Logger } from '../../server/log.js';
import type { FlashCallMetrics } from '../../server/metrics/index.js';
import type { Random } from '../../server/random.js';
import { cryptoRandom } from '../../server/random.js';
import { MemoryStore } from '../../server/store/memory.js';
import type { PlaceCallRequest, SendSmsRequest, TelephonyProvider } from '../../server/telephony/provider.js';
import type { VerificationService } from '../../server/verification/service.js';

export const ORIGIN = 'http://localhost:5173';

/**
 * A complete production environment. The app's provider is still the recording double, so nothing is called;
 * what changes is the mode and its defaults (the production limits among them).
 */
export const PRODUCTION_ENV = {
  FCV_MODE: 'production',
  RESTCOMM_BASE_URL: 'https://cloud.restcomm.com/restcomm',
  RESTCOMM_ACCOUNT_SID: 'AC00000000000000000000000000000000',
  RESTCOMM_AUTH_TOKEN: 'restcomm-test-token',
  PUBLIC_URL: 'https://verify.example.com',
  FCV_CALLER_IDS: '+44741830XXXX',
  FCV_SECRET: 'production-test-secret-0123456789abcdefghij',
  FCV_SITES: JSON.stringify([
    { siteKey: 'pk_live_shop', secret: 'sk_live_shop_0123456789abcdefghijklmnop', origins: ['http://localhost:*'] },
  ]),
} as const;

/** A clock that moves only when told: windows and expiry in an instant. */
export class ManualClock implements Clock {
  constructor(public time = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Deterministic randomness (xorshift), so a test can rely on which codes come up. */
export function seededRandom(seed = 0x9e3779b9): Random {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  return {
    bytes: (length) => Uint8Array.from({ length }, () => next() & 0xff),
    int: (max) => next() % max,
  };
}

/** Answers at once and remembers every call and text, so tests can count them and read codes. */
export class RecordingProvider implements TelephonyProvider {
  readonly calls: PlaceCallRequest[] = [];
  readonly hangUps: string[] = [];
  readonly texts: SendSmsRequest[] = [];
  async placeCall(request: PlaceCallRequest) {
    this.calls.push(request);
    return { sid: `CA${String(this.calls.length).padStart(32, '0')}` };
  }
  async hangUp(sid: string) {
    this.hangUps.push(sid);
  }
  async sendSms(request: SendSmsRequest) {
    this.texts.push(request);
    return { sid: `SM${String(this.texts.length).padStart(32, '0')}` };
  }
  codeFor(phone: string, length = 4): string {
    const call = this.calls.findLast((c) => c.to === phone);
    if (!call) throw new Error(`no call to ${phone}`);
    return call.from.slice(-length);
  }
}

export interface InProcess {
  app: Hono;
  service: VerificationService;
  provider: RecordingProvider;
  clock: ManualClock;
  store: MemoryStore;
  /** Present when `FCV_METRICS` is on. */
  metrics?: FlashCallMetrics;
  /** JSON request with an Origin and a client address of the test's choosing. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: any }>;
}

/** The app without sockets: fast enough for thousands of requests a test. */
export function inProcessApp(env: Env = {}, options: { random?: Random; log?: Logger; provider?: TelephonyProvider } = {}): InProcess {
  const clock = new ManualClock();
  const random = options.random ?? cryptoRandom;
  // Sites, secrets and stores of the tests' own choosing, with the sandbox's emulator-free defaults.
  const sandbox = !env.FCV_MODE && !Object.keys(env).some((name) => name.startsWith('RESTCOMM_'));
  const config = loadConfig({ FCV_RESEND_SECONDS: '0', ...(sandbox ? { FCV_MODE: 'sandbox' } : {}), ...env }, random);
  const store = new MemoryStore({ clock });
  const provider = new RecordingProvider();
  const { app, service, metrics } = createFlashCallApp({
    config,
    store,
    provider: options.provider ?? provider,
    clock,
    random,
    log: options.log,
    clientIp: (c) => c.req.header('x-test-ip') ?? '192.0.2.1',
  });
  return {
    app,
    service,
    metrics,
    provider,
    clock,
    store,
    async call(method, path, body, headers = {}) {
      const response = await app.request(path, {
        method,
        headers: { origin: ORIGIN, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      return { status: response.status, headers: response.headers, body: /json/.test(type) && text ? JSON.parse(text) : text };
    },
  };
}
