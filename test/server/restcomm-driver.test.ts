import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { createRestcommProvider } from '../../server/restcomm/driver.js';
import { ProviderError } from '../../server/telephony/provider.js';
import type { PlaceCallRequest } from '../../server/telephony/provider.js';

const ACCOUNT = 'ACae6e420f425248d6a26948c17a9e2acf';
const TOKEN = 's3cr3t-T0ken-value';
const SID = 'ID8deb35fc5121429fa96635aebe3976d2-CA6d61e3877f3c47828a26efc498a9e8f9';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface Double {
  baseUrl: string;
  requests: Recorded[];
  close(): Promise<void>;
}

const open: Double[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((double) => double.close()));
});

/** A stand-in Restcomm on 127.0.0.1 that records each request and answers with `respond`. */
async function restcommDouble(respond: (request: Recorded, response: ServerResponse) => void): Promise<Double> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      respond(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const double: Double = {
    baseUrl: `http://127.0.0.1:${port}/restcomm`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(double);
  return double;
}

function reply(status: number, body = '', contentType = 'text/plain') {
  return (_request: Recorded, response: ServerResponse) => {
    response.writeHead(status, body ? { 'content-type': contentType } : {});
    response.end(body);
  };
}

const callRequest: PlaceCallRequest = {
  from: '+447418341234',
  to: '+15551234567',
  ringSeconds: 25,
  rcmlUrl: 'https://verify.example.com/hooks/restcomm/hk_abc/rcml',
  statusCallbackUrl: 'https://verify.example.com/hooks/restcomm/hk_abc/status',
};

function provider(baseUrl: string, extra: { timeoutMs?: number; apiVersion?: string; authToken?: string } = {}) {
  return createRestcommProvider({ baseUrl, accountSid: ACCOUNT, authToken: extra.authToken ?? TOKEN, ...extra });
}

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('placeCall', () => {
  test('posts the form Restcomm expects with Basic auth and returns the sid', async () => {
    const double = await restcommDouble(
      reply(200, JSON.stringify({ sid: SID, status: 'queued', direction: 'outbound-api' }), 'application/json'),
    );
    const placed = await provider(double.baseUrl).placeCall(callRequest);

    assert.deepEqual(placed, { sid: SID });
    assert.equal(double.requests.length, 1);
    const [request] = double.requests;
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.url, `/restcomm/2012-04-24/Accounts/${ACCOUNT}/Calls.json`);
    assert.equal(request.headers.authorization, 'Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64'));
    assert.match(request.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(request.body)), {
      From: '+447418341234',
      To: '+15551234567',
      Url: 'https://verify.example.com/hooks/restcomm/hk_abc/rcml',
      Method: 'POST',
      Timeout: '25',
      StatusCallback: 'https://verify.example.com/hooks/restcomm/hk_abc/status',
      StatusCallbackMethod: 'POST',
      StatusCallbackEvent: 'initiated,ringing,answered,completed',
    });
  });

  test('honours a trailing slash in the base URL and another API version', async () => {
    const double = await restcommDouble(reply(201, JSON.stringify({ sid: 'CA0123' }), 'application/json'));
    await provider(`${double.baseUrl}/`, { apiVersion: '2010-04-01' }).placeCall(callRequest);
    assert.equal(double.requests[0]?.url, `/restcomm/2010-04-01/Accounts/${ACCOUNT}/Calls.json`);
  });

  test('takes the sid of the first branch when Restcomm answers a list', async () => {
    const double = await restcommDouble(reply(200, JSON.stringify([{ sid: SID }, { sid: 'other' }]), 'application/json'));
    assert.deepEqual(await provider(double.baseUrl).placeCall(callRequest), { sid: SID });
  });

  const failures: Array<{ name: string; status: number; body: string; type?: string; kind: ProviderError['kind']; snippet?: string }> = [
    { name: 'plain-text 400', status: 400, body: 'To can not be null.', kind: 'rejected', snippet: 'To can not be null.' },
    {
      name: 'JSON 500',
      status: 500,
      body: '{"message":"Account is not active"}',
      type: 'application/json',
      kind: 'server',
      snippet: 'Account is not active',
    },
    { name: 'empty 403', status: 403, body: '', kind: 'auth' },
    { name: '401', status: 401, body: '', kind: 'auth' },
    { name: '404', status: 404, body: '<html><body>Not Found</body></html>', type: 'text/html', kind: 'rejected' },
    { name: 'plain-text 503', status: 503, body: 'Service Unavailable', kind: 'server' },
  ];
  for (const failure of failures) {
    test(`maps a ${failure.name} to a ${failure.kind} ProviderError`, async () => {
      const double = await restcommDouble(reply(failure.status, failure.body, failure.type));
      const error = await providerError(provider(double.baseUrl).placeCall(callRequest));
      assert.equal(error.kind, failure.kind);
      assert.equal(error.httpStatus, failure.status);
      assert.match(error.message, new RegExp(`HTTP ${failure.status}`));
      if (failure.snippet) assert.ok(error.message.includes(failure.snippet), error.message);
      assert.ok(!error.message.includes(TOKEN));
      assert.equal(double.requests.length, 1, 'a failed create is never retried');
    });
  }

  test('keeps only a short snippet of a long error body and redacts the token from it', async () => {
    const body = `Bad credentials ${TOKEN} ` + 'x'.repeat(5000);
    const double = await restcommDouble(reply(500, body));
    const error = await providerError(provider(double.baseUrl).placeCall(callRequest));
    assert.ok(!error.message.includes(TOKEN), error.message);
    assert.ok(error.message.includes('[redacted]'));
    assert.ok(error.message.length < 300, `message is ${error.message.length} characters`);
  });

  test('a 200 that is not JSON is malformed', async () => {
    const double = await restcommDouble(reply(200, '<RestcommResponse><Call/></RestcommResponse>', 'application/xml'));
    const error = await providerError(provider(double.baseUrl).placeCall(callRequest));
    assert.equal(error.kind, 'malformed');
    assert.ok(!error.message.includes(TOKEN));
  });

  test('a JSON 200 without a string sid is malformed', async () => {
    const double = await restcommDouble(reply(200, JSON.stringify({ sid: 42, status: 'queued' }), 'application/json'));
    assert.equal((await providerError(provider(double.baseUrl).placeCall(callRequest))).kind, 'malformed');
  });

  test('a redirect is not followed', async () => {
    const double = await restcommDouble((_request, response) => {
      response.writeHead(302, { location: '/elsewhere' });
      response.end();
    });
    const error = await providerError(provider(double.baseUrl).placeCall(callRequest));
    assert.equal(error.kind, 'rejected');
    assert.equal(double.requests.length, 1);
  });

  test('gives up after timeoutMs when Restcomm hangs', async () => {
    const double = await restcommDouble(() => {
      /* never answers */
    });
    const started = Date.now();
    const error = await providerError(provider(double.baseUrl, { timeoutMs: 150 }).placeCall(callRequest));
    assert.equal(error.kind, 'timeout');
    assert.ok(Date.now() - started < 2000);
    assert.ok(!error.message.includes(TOKEN));
    assert.equal(double.requests.length, 1, 'a timed-out create is never retried');
  });

  test('a timeout also covers a body that never finishes', async () => {
    const double = await restcommDouble((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"sid":');
    });
    const error = await providerError(provider(double.baseUrl, { timeoutMs: 150 }).placeCall(callRequest));
    assert.equal(error.kind, 'timeout');
  });

  test("the caller's abort rejects with its reason, not as a provider failure", async () => {
    const double = await restcommDouble(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const reason = new Error('client went away');
    setTimeout(() => controller.abort(reason), 50);
    await assert.rejects(
      provider(double.baseUrl, { timeoutMs: 5000 }).placeCall({ ...callRequest, signal: controller.signal }),
      (error) => error === reason,
    );
  });

  test('a refused connection is a network error', async () => {
    const double = await restcommDouble(reply(200));
    await double.close();
    const error = await providerError(provider(double.baseUrl).placeCall(callRequest));
    assert.equal(error.kind, 'network');
    assert.match(error.message, /ECONNREFUSED/);
    assert.ok(!error.message.includes(TOKEN));
  });
});

describe('hangUp', () => {
  test('posts Status=completed to the call resource', async () => {
    const double = await restcommDouble(reply(200, JSON.stringify({ sid: SID, status: 'canceled' }), 'application/json'));
    await provider(double.baseUrl).hangUp(SID);
    const [request] = double.requests;
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.url, `/restcomm/2012-04-24/Accounts/${ACCOUNT}/Calls/${SID}.json`);
    assert.equal(request.headers.authorization, 'Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64'));
    assert.deepEqual(Object.fromEntries(new URLSearchParams(request.body)), { Status: 'completed' });
  });

  for (const status of [404, 406, 410]) {
    test(`treats ${status} as a call that is already over`, async () => {
      const double = await restcommDouble(reply(status, status === 410 ? 'Call is already completed.' : ''));
      await provider(double.baseUrl).hangUp(SID);
      assert.equal(double.requests.length, 1);
    });
  }

  test('other failures are ProviderErrors', async () => {
    const double = await restcommDouble(reply(500, 'boom'));
    assert.equal((await providerError(provider(double.baseUrl).hangUp(SID))).kind, 'server');
    const denied = await restcommDouble(reply(401));
    assert.equal((await providerError(provider(denied.baseUrl).hangUp(SID))).kind, 'auth');
  });

  test('times out like a create', async () => {
    const double = await restcommDouble(() => {
      /* never answers */
    });
    assert.equal((await providerError(provider(double.baseUrl, { timeoutMs: 100 }).hangUp(SID))).kind, 'timeout');
  });
});

describe('sendSms', () => {
  const MESSAGE_SID = 'SM6d61e3877f3c47828a26efc498a9e8f9';
  const text = { from: '+15005550006', to: '+447418301234', body: 'Your verification code is 4719.\n\n@shop.example.com #4719' };
  const sent = () =>
    reply(
      200,
      JSON.stringify({ sid: MESSAGE_SID, status: 'sending', direction: 'outbound-api', from: text.from, to: text.to, body: text.body }),
      'application/json',
    );

  test('posts From, To and Body to the SMS resource with Basic auth and returns the sid', async () => {
    const double = await restcommDouble(sent());
    assert.deepEqual(await provider(double.baseUrl).sendSms(text), { sid: MESSAGE_SID });
    assert.equal(double.requests.length, 1);
    const [request] = double.requests;
    assert.ok(request);
    assert.equal(request.method, 'POST');
    assert.equal(request.url, `/restcomm/2012-04-24/Accounts/${ACCOUNT}/SMS/Messages.json`);
    assert.equal(request.headers.authorization, 'Basic ' + Buffer.from(`${ACCOUNT}:${TOKEN}`).toString('base64'));
    assert.match(request.headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(request.body)), { From: text.from, To: text.to, Body: text.body });
  });

  test('a text outside the GSM alphabet goes as UCS-2, or it would arrive garbled', async () => {
    const double = await restcommDouble(sent());
    const body = 'رمز التحقق: 4719\n\n@shop.example.com #4719';
    await provider(double.baseUrl).sendSms({ ...text, body });
    assert.deepEqual(Object.fromEntries(new URLSearchParams(double.requests[0]?.body)), {
      From: text.from,
      To: text.to,
      Body: body,
      Encoding: 'UCS-2',
    });
  });

  for (const [name, body] of [
    ['161 GSM characters', 'x'.repeat(161)],
    ['80 GSM characters of the extension table (160 septets) plus one', '€'.repeat(80) + 'x'],
    ['71 UCS-2 characters', 'ع'.repeat(71)],
    ['one UCS-2 segment of over 160 bytes, which Restcomm would cut', '中'.repeat(60)],
  ] as const) {
    test(`refuses ${name} without sending anything`, async () => {
      const double = await restcommDouble(sent());
      const error = await providerError(provider(double.baseUrl).sendSms({ ...text, body }));
      assert.equal(error.kind, 'rejected');
      assert.equal(error.refused, true, 'nothing was sent, so the caller may give limits back');
      assert.equal(double.requests.length, 0);
    });
  }

  test('the longest single messages are sent', async () => {
    const double = await restcommDouble(sent());
    await provider(double.baseUrl).sendSms({ ...text, body: 'x'.repeat(160) });
    await provider(double.baseUrl).sendSms({ ...text, body: 'ع'.repeat(70) });
    assert.equal(double.requests.length, 2);
  });

  test("over the account's SMS limit: a refusal with Restcomm's code, not a credentials fault", async () => {
    const double = await restcommDouble(reply(403, '{"error":"SMS_LIMIT_EXCEEDED"}', 'application/json'));
    const error = await providerError(provider(double.baseUrl).sendSms(text));
    assert.equal(error.kind, 'rejected');
    assert.equal(error.httpStatus, 403);
    assert.equal(error.providerCode, 'SMS_LIMIT_EXCEEDED');
    assert.equal(error.refused, true);
    assert.equal(double.requests.length, 1, 'never retried');
  });

  const failures: Array<{ name: string; status: number; body: string; type?: string; kind: ProviderError['kind']; refused: boolean }> = [
    { name: 'plain-text 400 (a missing field)', status: 400, body: 'Body can not be null.', kind: 'rejected', refused: true },
    { name: '401', status: 401, body: '', kind: 'auth', refused: true },
    { name: 'empty 403', status: 403, body: '', kind: 'auth', refused: true },
    { name: '500', status: 500, body: 'Internal Server Error', kind: 'server', refused: false },
  ];
  for (const failure of failures) {
    test(`maps a ${failure.name} to a ${failure.kind} ProviderError`, async () => {
      const double = await restcommDouble(reply(failure.status, failure.body, failure.type));
      const error = await providerError(provider(double.baseUrl).sendSms(text));
      assert.equal(error.kind, failure.kind);
      assert.equal(error.httpStatus, failure.status);
      assert.equal(error.refused, failure.refused);
      if (failure.body) assert.equal(error.providerMessage, failure.body);
      assert.ok(!error.message.includes(TOKEN));
      assert.ok(!error.message.includes('4719'), 'the code is never in an error message');
      assert.equal(double.requests.length, 1, 'a failed send is never retried');
    });
  }

  test('a 200 that is not JSON, or has no sid, is malformed and may have been sent', async () => {
    for (const body of ['<RestcommResponse><SMSMessage/></RestcommResponse>', '{"status":"sending"}']) {
      const double = await restcommDouble(reply(200, body, 'application/json'));
      const error = await providerError(provider(double.baseUrl).sendSms(text));
      assert.equal(error.kind, 'malformed');
      assert.equal(error.refused, false);
    }
  });

  test('gives up after timeoutMs when Restcomm hangs, outcome unknown', async () => {
    const double = await restcommDouble(() => {
      /* never answers */
    });
    const error = await providerError(provider(double.baseUrl, { timeoutMs: 150 }).sendSms(text));
    assert.equal(error.kind, 'timeout');
    assert.equal(error.refused, false);
    assert.equal(double.requests.length, 1, 'a timed-out send is never retried');
  });

  test('a refused connection: nothing was sent', async () => {
    const double = await restcommDouble(reply(200));
    await double.close();
    const error = await providerError(provider(double.baseUrl).sendSms(text));
    assert.equal(error.kind, 'network');
    assert.equal(error.refused, true);
  });
});
