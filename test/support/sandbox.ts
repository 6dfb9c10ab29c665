import type { Env } from '../../server/config.js';
import type { RunningSandbox } from '../../sandbox/index.js';
import { startSandboxServer } from '../../sandbox/index.js';
import type { StartServerOptions } from '../../server/serve.js';

export const PAGE_ORIGIN = 'http://localhost:5173';
export const SANDBOX_PHONE = '+447418301234';

/** Limits loose enough that a suite's many starts from one address do not trip them, unless a test asks. */
const TEST_LIMITS = JSON.stringify([{ scope: 'ip', max: 10_000, windowSeconds: 60 }]);

export async function startSandbox(env: Env = {}, options: Omit<StartServerOptions, 'extend'> = {}): Promise<SandboxClient> {
  const server = await startSandboxServer({
    ...options,
    env: { FCV_MODE: 'sandbox', PORT: '0', FCV_RING_SECONDS: '5', FCV_RESEND_SECONDS: '0', FCV_LIMITS: TEST_LIMITS, ...env },
  });
  return new SandboxClient(server);
}

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Talks to a running sandbox over HTTP, as a browser page and the site's backend would. */
export class SandboxClient {
  constructor(readonly server: RunningSandbox) {}

  get url(): string {
    return this.server.url;
  }

  async request(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Answer> {
    const headers = new Headers(init.headers);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    const response = await fetch(this.url + path, { ...init, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    if (/json/.test(response.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed };
  }

  start(fields: Record<string, unknown> = {}, origin = PAGE_ORIGIN): Promise<Answer> {
    return this.request('/v1/verifications', {
      method: 'POST',
      headers: { origin },
      json: { siteKey: 'pk_sandbox', phone: SANDBOX_PHONE, ...fields },
    });
  }

  check(id: string, code: string, origin = PAGE_ORIGIN): Promise<Answer> {
    return this.request(`/v1/verifications/${id}/check`, { method: 'POST', headers: { origin }, json: { code } });
  }

  siteverify(token: string, secret = 'sk_sandbox'): Promise<Answer> {
    return this.request('/v1/siteverify', { method: 'POST', json: { secret, token } });
  }

  /** The code the sandbox phone shows: the last digits of the newest call to that number. */
  async codeFor(phone: string, codeLength: number): Promise<string> {
    const calls = (await this.request('/sandbox/calls')).body as Array<{ to: string; from: string }>;
    const call = calls.find((c) => c.to === phone);
    if (!call) throw new Error(`no sandbox call to ${phone}`);
    return call.from.slice(-codeLength);
  }

  async waitForStatus(id: string, status: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const answer = await this.request(`/v1/verifications/${id}`);
      if (answer.body.status === status) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`verification ${id} did not reach ${status}`);
  }

  close(graceMs?: number): Promise<void> {
    return this.server.close(graceMs);
  }
}

export function wrongCode(code: string): string {
  return code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
}
