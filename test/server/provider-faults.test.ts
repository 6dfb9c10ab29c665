import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { createRestcommProvider } from '../../server/restcomm/driver.js';
import { PAGE_ORIGIN, SANDBOX_PHONE, startSandbox } from '../support/sandbox.js';
import type { SandboxClient } from '../support/sandbox.js';
import { ProviderError } from '../../server/telephony/provider.js';
import type { TelephonyProvider } from '../../server/telephony/provider.js';

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'faults-auth-token-5f4e3d2c1b';

interface Double {
  url: string;
  requests: Array<{ headers: IncomingMessage['headers']; url: string; body: string }>;
  close(): Promise<void>;
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** A stand-in Restcomm that records each request and answers as told (or never). */
async function restcommDouble(respond: (request: Double['requests'][number], response: ServerResponse) => void): Promise<Double> {
  const requests: Double['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = { headers: req.headers, url: req.url ?? '', body };
      requests.push(request);
      respond(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const double = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/restcomm`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  cleanup.push(double.close);
  return double;
}

async function sandboxWith(
  provider: TelephonyProvider,
  env: Record<string, string> = {},
  lines: Array<Record<string, unknown>> = [],
): Promise<SandboxClient> {
  const sandbox = await startSandbox(
    { FCV_RESEND_SECONDS: '30', ...env },
    { provider, log: (level, event, fields) => lines.push({ level, event, ...fields }) },
  );
  cleanup.push(() => sandbox.close());
  return sandbox;
}

const driver = (baseUrl: string, timeoutMs = 10_000) =>
  createRestcommProvider({ baseUrl, accountSid: ACCOUNT, authToken: AUTH_TOKEN, timeoutMs });

describe('provider faults reach the browser as provider_unavailable', () => {
  for (const kind of ['timeout', 'network', 'auth', 'server', 'malformed'] as const) {
    test(`${kind}: 502, retryable, nothing of the provider's answer shown`, async () => {
      let calls = 0;
      const provider: TelephonyProvider = {
        async placeCall() {
          calls++;
          throw new ProviderError(`Restcomm said: secret-body-${kind} AuthToken=abc`, kind, 500);
        },
        async hangUp() {},
      };
      const lines: Array<Record<string, unknown>> = [];
      const sandbox = await sandboxWith(provider, {}, lines);
      const answer = await sandbox.start();
      assert.equal(answer.status, 502);
      assert.equal(answer.body.code, 'provider_unavailable');
      assert.equal(answer.body.retryable, true);
      assert.ok(!JSON.stringify(answer.body).includes('secret-body'));
      assert.ok(
        lines.some((line) => line.event === 'provider.call_failed'),
        'the operator is told',
      );
      assert.equal(calls, 1);
    });
  }

  test('the origin is checked before any call is placed', async () => {
    let calls = 0;
    const provider: TelephonyProvider = {
      async placeCall() {
        calls++;
        return { sid: 'CA1' };
      },
      async hangUp() {},
    };
    const sandbox = await sandboxWith(provider, { FCV_RESEND_SECONDS: '0' });
    assert.equal((await sandbox.start({}, 'https://evil.example')).status, 403);
    assert.equal((await sandbox.start({}, PAGE_ORIGIN)).status, 201);
    assert.equal(calls, 1);
  });
});

describe('limits after a failed create-call: kept unless Restcomm certainly placed no call', () => {
  test('three timed-out creates in a row ring the number once: the cooldown holds', async () => {
    const double = await restcommDouble(() => {
      // Never answers: Restcomm may or may not have placed the call.
    });
    const lines: Array<Record<string, unknown>> = [];
    const sandbox = await sandboxWith(driver(double.url, 300), {}, lines);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await sandbox.start());
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [502, 429, 429],
    );
    assert.equal(answers[1]!.body.limit, 'resend');
    assert.equal(double.requests.length, 1, 'one create-call reached Restcomm');
    const failed = lines.find((line) => line.event === 'provider.call_failed')!;
    assert.deepEqual([failed.kind, failed.outcome, failed.limits], ['timeout', 'unknown', 'kept']);
  });

  test('a 5xx keeps the per-number count too', async () => {
    const double = await restcommDouble((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"message":"Internal error"}');
    });
    const sandbox = await sandboxWith(driver(double.url), {
      FCV_RESEND_SECONDS: '0',
      FCV_LIMITS: '[{"scope":"phone","max":1,"windowSeconds":900}]',
    });
    assert.equal((await sandbox.start()).status, 502);
    const again = await sandbox.start();
    assert.equal(again.status, 429);
    assert.equal(again.body.limit, 'phone');
  });

  test('a 4xx refusal gives the limits back: the user may try again at once', async () => {
    const double = await restcommDouble((_request, response) => {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end('To can not be null.');
    });
    const sandbox = await sandboxWith(driver(double.url));
    assert.equal((await sandbox.start()).status, 502);
    assert.equal((await sandbox.start()).status, 502, 'not 429: the cooldown was given back');
    assert.equal(double.requests.length, 2);
  });

  test('a refused connection gives the limits back', async () => {
    const double = await restcommDouble(() => {});
    await double.close();
    const lines: Array<Record<string, unknown>> = [];
    const sandbox = await sandboxWith(driver(double.url), {}, lines);
    assert.equal((await sandbox.start()).status, 502);
    assert.equal((await sandbox.start()).status, 502);
    const failed = lines.find((line) => line.event === 'provider.call_failed')!;
    assert.deepEqual([failed.kind, failed.outcome, failed.limits], ['network', 'refused', 'refunded']);
    assert.match(String(failed.reason), /ECONNREFUSED/);
  });
});

describe('Restcomm error answers in the log', () => {
  /** Logs of a start whose create-call gets `respond`'s answer, and the request Restcomm received. */
  async function logsOf(respond: (request: Double['requests'][number], response: ServerResponse) => void) {
    const double = await restcommDouble(respond);
    const lines: Array<Record<string, unknown>> = [];
    const sandbox = await sandboxWith(driver(double.url), {}, lines);
    assert.equal((await sandbox.start()).status, 502);
    const request = double.requests[0]!;
    const form = new URLSearchParams(request.body);
    const hookToken = /\/hooks\/restcomm\/([^/]+)\//.exec(form.get('Url')!)![1]!;
    const forbidden = {
      'the caller ID': form.get('From')!,
      "the caller ID's national digits": form.get('From')!.slice(3),
      'the number called': SANDBOX_PHONE.slice(1),
      'the hook token': hookToken,
      'the hook URL': form.get('Url')!,
      'the Authorization header': String(request.headers.authorization).slice('Basic '.length),
      'the auth token': AUTH_TOKEN,
    };
    return { text: JSON.stringify(lines), failed: lines.find((line) => line.event === 'provider.call_failed')!, forbidden };
  }

  function assertClean(text: string, forbidden: Record<string, string>): void {
    for (const [what, value] of Object.entries(forbidden)) assert.ok(!text.includes(value), `the log shows ${what}: ${text}`);
  }

  test("a JSON error that echoes the request: status and Restcomm's code and message, redacted", async () => {
    const { text, failed, forbidden } = await logsOf((request, response) => {
      const form = new URLSearchParams(request.body);
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          code: 21211,
          message: `The 'To' number ${form.get('To')} is not valid (from ${form.get('From')}, callback ${form.get('Url')})`,
          status: 400,
          request: { headers: request.headers, body: request.body },
        }),
      );
    });
    assertClean(text, forbidden);
    assert.equal(failed.httpStatus, 400);
    assert.equal(failed.providerCode, '21211');
    assert.match(String(failed.providerMessage), /^The 'To' number \[number\] is not valid/);
  });

  test('a plain-text error that is the request echoed back is not logged at all', async () => {
    const { text, failed, forbidden } = await logsOf((request, response) => {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end(`${request.body}\nAuthorization: ${request.headers.authorization}\n`);
    });
    assertClean(text, forbidden);
    assert.equal(failed.httpStatus, 400);
    assert.equal(failed.providerMessage, undefined);
  });

  test('an XML RestException: its code and message', async () => {
    const { text, failed, forbidden } = await logsOf((request, response) => {
      const form = new URLSearchParams(request.body);
      response.writeHead(400, { 'content-type': 'application/xml' });
      response.end(
        `<RestcommResponse><RestException><Code>13223</Code><Message>Dial: Invalid phone number ${form.get('To')}</Message></RestException><Echo>${request.body}</Echo></RestcommResponse>`,
      );
    });
    assertClean(text, forbidden);
    assert.equal(failed.providerCode, '13223');
    assert.equal(failed.providerMessage, 'Dial: Invalid phone number [number]');
  });

  test("Restcomm's plain-text refusal is kept as it is", async () => {
    const { failed } = await logsOf((_request, response) => {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end('To can not be null.');
    });
    assert.equal(failed.providerMessage, 'To can not be null.');
  });
});
