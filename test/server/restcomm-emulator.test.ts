import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { createSandboxRoutes } from '../../sandbox/phone-routes.js';
import { createRestcommEmulator } from '../../sandbox/restcomm-emulator.js';
import type { RestcommEmulator } from '../../sandbox/restcomm-emulator.js';
import { problemErrorHandler } from '../../server/http/problem.js';
import { silentLogger } from '../../server/log.js';
import { createRestcommProvider } from '../../server/restcomm/driver.js';
import { renderRcml } from '../../server/restcomm/rcml.js';
import { renderVoiceRcml } from '../../server/restcomm/voice-rcml.js';
import { smsText } from '../../server/telephony/sms-text.js';
import { parseStatusCallback } from '../../server/restcomm/status.js';
import { ProviderError } from '../../server/telephony/provider.js';
import type { PlaceCallRequest, TelephonyProvider } from '../../server/telephony/provider.js';

const ACCOUNT = 'ACae6e420f425248d6a26948c17a9e2acf';
const TOKEN = 'emulator-token';
const SID_PATTERN = /^ID[0-9a-f]{32}-CA[0-9a-f]{32}$/;
const RFC_2822 = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

interface Received {
  params: Record<string, string>;
  arrivedAt: number;
  answeredAt?: number;
}

interface Harness {
  origin: string;
  emulator: RestcommEmulator;
  provider: TelephonyProvider;
  callbacks: Received[];
  rcmlRequests: Array<{ method: string; params: Record<string, string> }>;
  logs: Array<Record<string, unknown>>;
  request(to?: string, ringSeconds?: number): PlaceCallRequest;
  close(): Promise<void>;
}

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((harness) => harness.close()));
});

/**
 * The emulator mounted as the app mounts it, the real driver pointed at it over HTTP, and hooks standing in for
 * the app's status and RCML routes, all on one local server.
 */
async function harness(
  options: {
    ringDelayMs?: number;
    talkMs?: number;
    smsLimit?: number;
    rcml?: (c: Context) => Response;
    callbackDelayMs?: (params: Record<string, string>) => number;
  } = {},
): Promise<Harness> {
  const logs: Array<Record<string, unknown>> = [];
  const emulator = createRestcommEmulator({
    accountSid: ACCOUNT,
    authToken: TOKEN,
    ringDelayMs: options.ringDelayMs ?? 20,
    talkMs: options.talkMs ?? 40,
    ...(options.smsLimit === undefined ? {} : { smsLimit: options.smsLimit }),
    log: (line) => logs.push(line),
  });
  const callbacks: Received[] = [];
  const rcmlRequests: Harness['rcmlRequests'] = [];

  const app = new Hono();
  app.onError(problemErrorHandler(silentLogger));
  app.route('/sandbox/restcomm', emulator.app);
  app.route('/sandbox', createSandboxRoutes(emulator));
  app.post('/hooks/status', async (c) => {
    const received: Received = { params: await form(c), arrivedAt: performance.now() };
    callbacks.push(received);
    const delay = options.callbackDelayMs?.(received.params) ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    received.answeredAt = performance.now();
    return c.body(null, 200);
  });
  app.on(['GET', 'POST'], '/hooks/rcml', async (c) => {
    const params = c.req.method === 'GET' ? c.req.query() : await form(c);
    rcmlRequests.push({ method: c.req.method, params });
    if (options.rcml) return options.rcml(c);
    return c.body(renderRcml({ code: '4719', locale: 'en' }), 200, { 'content-type': 'text/xml; charset=utf-8' });
  });

  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const result: Harness = {
    origin,
    emulator,
    provider: createRestcommProvider({ baseUrl: `${origin}/sandbox/restcomm`, accountSid: ACCOUNT, authToken: TOKEN }),
    callbacks,
    rcmlRequests,
    logs,
    request: (to = '+15551234567', ringSeconds = 30) => ({
      from: '+447418344719',
      to,
      ringSeconds,
      rcmlUrl: `${origin}/hooks/rcml`,
      statusCallbackUrl: `${origin}/hooks/status`,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        emulator.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(result);
  return result;
}

async function form(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const statuses = (h: Harness) => h.callbacks.map((received) => received.params['CallStatus']);
const basic = (user: string, password: string) => 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');

describe('Restcomm emulator driven by the driver', () => {
  test('an answered call: callbacks in order, RCML fetched on answer, then completed', async () => {
    const h = await harness();
    const { sid } = await h.provider.placeCall(h.request());
    assert.match(sid, SID_PATTERN);

    await waitFor('ringing', () => statuses(h).includes('ringing'));
    assert.equal(h.rcmlRequests.length, 0, 'no RCML before an answer');
    assert.equal(h.emulator.calls()[0]?.status, 'ringing');

    const answered = await fetch(`${h.origin}/sandbox/calls/${sid}/answer`, { method: 'POST' });
    assert.equal(answered.status, 200);
    const body = (await answered.json()) as { rcml: string; spoken: string };
    assert.equal(body.rcml, renderRcml({ code: '4719', locale: 'en' }));
    assert.equal(body.spoken, 'Your code is 4, 7, 1, 9. Your code is 4, 7, 1, 9.');

    assert.equal(h.rcmlRequests.length, 1);
    assert.equal(h.rcmlRequests[0]?.method, 'POST');
    assert.deepEqual(h.rcmlRequests[0]?.params, {
      CallSid: sid,
      AccountSid: ACCOUNT,
      From: '+447418344719',
      To: '+15551234567',
      CallStatus: 'in-progress',
      Direction: 'outbound-api',
      ApiVersion: '2012-04-24',
    });

    await waitFor('completed', () => statuses(h).includes('completed'));
    assert.deepEqual(statuses(h), ['initiated', 'ringing', 'answered', 'completed']);
    h.callbacks.forEach(({ params }, index) => {
      assert.equal(params['SequenceNumber'], String(index));
      assert.equal(params['CallSid'], sid);
      assert.equal(params['AccountSid'], ACCOUNT);
      assert.equal(params['From'], '+447418344719');
      assert.equal(params['To'], '+15551234567');
      assert.equal(params['Direction'], 'outbound-api');
      assert.equal(params['CallbackSource'], 'call-progress-events');
      assert.match(params['Timestamp'] ?? '', RFC_2822);
      assert.match(params['InstanceId'] ?? '', /^ID[0-9a-f]{32}$/);
      assert.equal('CallDuration' in params, params['CallStatus'] === 'completed');
    });
    assert.deepEqual(
      h.callbacks.map(({ params }) => parseStatusCallback(params)?.progress),
      ['initiated', 'ringing', 'answered', 'completed'],
    );
    assert.equal(h.emulator.calls()[0]?.status, 'completed');
    assert.deepEqual(h.logs, []);
  });

  test('each callback waits for the one before it to be answered', async () => {
    const h = await harness({ callbackDelayMs: (params) => (params['CallStatus'] === 'initiated' ? 150 : 0) });
    await h.provider.placeCall(h.request());
    await waitFor('ringing', () => statuses(h).includes('ringing'));
    const [initiated, ringing] = h.callbacks;
    assert.ok(initiated?.answeredAt !== undefined && ringing !== undefined);
    assert.ok(ringing.arrivedAt >= initiated.answeredAt, 'ringing was sent before initiated was answered');
    assert.deepEqual(statuses(h), ['initiated', 'ringing']);
  });

  test('an unanswered call ends completed after Timeout seconds without fetching RCML', async () => {
    const h = await harness();
    const { sid } = await h.provider.placeCall(h.request('+15551234567', 1));
    await waitFor('completed', () => statuses(h).includes('completed'), 4000);
    assert.deepEqual(statuses(h), ['initiated', 'ringing', 'completed']);
    assert.equal(h.callbacks[2]?.params['CallDuration'], '1');
    assert.equal(h.callbacks[2]?.params['SequenceNumber'], '2');
    assert.equal(h.rcmlRequests.length, 0);
    assert.deepEqual(
      h.emulator.calls().map(({ sid: callSid, status, duration }) => ({ sid: callSid, status, duration })),
      [{ sid, status: 'no-answer', duration: 1 }],
    );
  });

  test('hanging up a ringing call ends it; hanging up again or an unknown sid resolves', async () => {
    const h = await harness();
    const { sid } = await h.provider.placeCall(h.request());
    await waitFor('ringing', () => statuses(h).includes('ringing'));
    await h.provider.hangUp(sid);
    await waitFor('completed', () => statuses(h).includes('completed'));
    assert.deepEqual(statuses(h), ['initiated', 'ringing', 'completed']);
    assert.equal(h.emulator.calls()[0]?.status, 'canceled');
    assert.equal(h.rcmlRequests.length, 0);

    await h.provider.hangUp(sid);
    await h.provider.hangUp('ID00000000000000000000000000000000-CA00000000000000000000000000000000');
    assert.equal(statuses(h).length, 3, 'no second completed');
  });

  test('hanging up an answered call completes it with its talk time', async () => {
    const h = await harness({ talkMs: 10_000 });
    const { sid } = await h.provider.placeCall(h.request());
    await waitFor('ringing', () => statuses(h).includes('ringing'));
    await h.emulator.answer(sid);
    await h.provider.hangUp(sid);
    await waitFor('completed', () => statuses(h).includes('completed'));
    assert.deepEqual(statuses(h), ['initiated', 'ringing', 'answered', 'completed']);
    assert.equal(h.emulator.calls()[0]?.status, 'completed');
  });

  test('bad credentials are refused with 401 and place no call', async () => {
    const h = await harness();
    const wrong = createRestcommProvider({ baseUrl: `${h.origin}/sandbox/restcomm`, accountSid: ACCOUNT, authToken: 'nope' });
    await assert.rejects(wrong.placeCall(h.request()), (error) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.kind, 'auth');
      assert.equal(error.httpStatus, 401);
      return true;
    });
    assert.deepEqual(h.emulator.calls(), []);

    const otherAccount = await fetch(`${h.origin}/sandbox/restcomm/2012-04-24/Accounts/ACother/Calls.json`, {
      method: 'POST',
      headers: { authorization: basic(ACCOUNT, TOKEN) },
      body: new URLSearchParams({ From: '+1', To: '+2', Url: 'http://x.test/' }),
    });
    assert.equal(otherAccount.status, 403);
  });

  test("a missing From, To or Url is Restcomm's plain-text 400", async () => {
    const h = await harness();
    const complete = { From: '+447418344719', To: '+15551234567', Url: `${h.origin}/hooks/rcml` };
    for (const missing of ['From', 'To', 'Url'] as const) {
      const fields: Record<string, string> = { ...complete };
      delete fields[missing];
      const response = await fetch(`${h.origin}/sandbox/restcomm/2012-04-24/Accounts/${ACCOUNT}/Calls.json`, {
        method: 'POST',
        headers: { authorization: basic(ACCOUNT, TOKEN) },
        body: new URLSearchParams(fields),
      });
      assert.equal(response.status, 400);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(await response.text(), `${missing} can not be null.`);
    }
    assert.deepEqual(h.emulator.calls(), []);
  });

  test('answers XML without .json, as Restcomm does', async () => {
    const h = await harness();
    const response = await fetch(`${h.origin}/sandbox/restcomm/2012-04-24/Accounts/${ACCOUNT}/Calls`, {
      method: 'POST',
      headers: { authorization: basic(ACCOUNT, TOKEN) },
      body: new URLSearchParams({ From: '+447418344719', To: '+15551234567', Url: `${h.origin}/hooks/rcml` }),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /xml/);
    const xml = await response.text();
    assert.match(xml, /<RestcommResponse><Call><Sid>ID[0-9a-f]{32}-CA[0-9a-f]{32}<\/Sid>/);
    assert.match(xml, /<Status>queued<\/Status>/);
  });

  test('a create answers the call record in JSON', async () => {
    const h = await harness();
    const response = await fetch(`${h.origin}/sandbox/restcomm/2012-04-24/Accounts/${ACCOUNT}/Calls.json`, {
      method: 'POST',
      headers: { authorization: basic(ACCOUNT, TOKEN) },
      body: new URLSearchParams({ From: '+447418344719', To: '+15551234567', Url: `${h.origin}/hooks/rcml` }),
    });
    assert.equal(response.status, 200);
    const record = (await response.json()) as Record<string, unknown>;
    assert.match(String(record['sid']), SID_PATTERN);
    assert.equal(record['status'], 'queued');
    assert.equal(record['from'], '+447418344719');
    assert.equal(record['to'], '+15551234567');
    assert.equal(record['direction'], 'outbound-api');
    assert.equal(record['account_sid'], ACCOUNT);
    assert.match(String(record['date_created']), RFC_2822);
    assert.equal(record['uri'], `/sandbox/restcomm/2012-04-24/Accounts/${ACCOUNT}/Calls/${String(record['sid'])}.json`);

    const fetched = await fetch(`${h.origin}${String(record['uri'])}`, { headers: { authorization: basic(ACCOUNT, TOKEN) } });
    assert.equal(fetched.status, 200);
    assert.equal(((await fetched.json()) as Record<string, unknown>)['sid'], record['sid']);
  });

  test('hang-up answers 406 for an unknown sid and 410 once the call is over', async () => {
    const h = await harness();
    const { sid } = await h.provider.placeCall(h.request('+15550000001'));
    const hangUp = (callSid: string) =>
      fetch(`${h.origin}/sandbox/restcomm/2012-04-24/Accounts/${ACCOUNT}/Calls/${callSid}.json`, {
        method: 'POST',
        headers: { authorization: basic(ACCOUNT, TOKEN) },
        body: new URLSearchParams({ Status: 'completed' }),
      });
    assert.equal((await hangUp('ID00000000000000000000000000000000-CA00000000000000000000000000000000')).status, 406);
    assert.equal((await hangUp('not-a-sid')).status, 400);
    await waitFor('completed', () => statuses(h).includes('completed'));
    const gone = await hangUp(sid);
    assert.equal(gone.status, 410);
    assert.equal(await gone.text(), 'Call is already completed.');
  });

  test('canceling an answered call does nothing', async () => {
    const h = await harness({ talkMs: 10_000 });
    const { sid } = await h.provider.placeCall(h.request());
    await waitFor('ringing', () => statuses(h).includes('ringing'));
    await h.emulator.answer(sid);
    const response = await fetch(`${h.origin}/sandbox/restcomm/2012-04-24/Accounts/${ACCOUNT}/Calls/${sid}.json`, {
      method: 'POST',
      headers: { authorization: basic(ACCOUNT, TOKEN) },
      body: new URLSearchParams({ Status: 'canceled' }),
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as Record<string, unknown>)['status'], 'in-progress');
    assert.deepEqual(statuses(h), ['initiated', 'ringing', 'answered']);
  });

  test('a busy handset and an unreachable one end at once with duration 0 and never ring', async () => {
    const h = await harness();
    const busy = await h.provider.placeCall(h.request('+15550000001'));
    const unreachable = await h.provider.placeCall(h.request('+15550000000'));
    await waitFor('both completed', () => statuses(h).filter((status) => status === 'completed').length === 2);
    assert.ok(!statuses(h).includes('ringing'));
    for (const received of h.callbacks.filter(({ params }) => params['CallStatus'] === 'completed')) {
      assert.equal(received.params['CallDuration'], '0');
      assert.equal(received.params['SequenceNumber'], '1');
    }
    const bySid = new Map(h.emulator.calls().map((call) => [call.sid, call.status]));
    assert.equal(bySid.get(busy.sid), 'busy');
    assert.equal(bySid.get(unreachable.sid), 'failed');
    assert.equal(h.rcmlRequests.length, 0);
  });

  test('the answering-machine handset picks up by itself', async () => {
    const h = await harness();
    await h.provider.placeCall(h.request('+15550000002'));
    await waitFor('completed', () => statuses(h).includes('completed'));
    assert.deepEqual(statuses(h), ['initiated', 'ringing', 'answered', 'completed']);
    assert.equal(h.rcmlRequests.length, 1);
  });

  test('RCML that is not XML fails the answer and ends the call', async () => {
    const h = await harness({ rcml: (c) => c.text('Your code is 4719') });
    const { sid } = await h.provider.placeCall(h.request());
    await waitFor('ringing', () => statuses(h).includes('ringing'));
    const response = await fetch(`${h.origin}/sandbox/calls/${sid}/answer`, { method: 'POST' });
    assert.equal(response.status, 502);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.equal(((await response.json()) as Record<string, unknown>)['code'], 'provider_unavailable');
    await waitFor('completed', () => statuses(h).includes('completed'));
    assert.equal(h.emulator.calls()[0]?.status, 'completed');
    assert.ok(h.logs.some((line) => line['event'] === 'restcomm_emulator.rcml_failed'));
  });

  test('a callback receiver that fails is logged and the call goes on', async () => {
    const h = await harness();
    const request = { ...h.request(), statusCallbackUrl: `${h.origin}/nowhere` };
    const { sid } = await h.provider.placeCall(request);
    await waitFor('ringing', () => h.emulator.calls()[0]?.status === 'ringing');
    await h.emulator.answer(sid);
    await waitFor('two rejected callbacks logged', () => h.logs.length >= 3);
    assert.ok(h.logs.every((line) => line['event'] === 'restcomm_emulator.callback_rejected' && line['httpStatus'] === 404));
  });

  test('close() stops every pending timer', async () => {
    const h = await harness({ ringDelayMs: 50 });
    await h.provider.placeCall(h.request());
    await waitFor('initiated', () => statuses(h).includes('initiated'));
    h.emulator.close();
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual(statuses(h), ['initiated']);
    assert.equal(h.emulator.calls()[0]?.status, 'queued');
  });
});

describe('sandbox routes', () => {
  test('GET /calls lists calls newest first', async () => {
    const h = await harness();
    const first = await h.provider.placeCall(h.request('+15551110011'));
    const second = await h.provider.placeCall(h.request('+15551110012'));
    const response = await fetch(`${h.origin}/sandbox/calls`);
    assert.equal(response.status, 200);
    const calls = (await response.json()) as Array<Record<string, unknown>>;
    assert.deepEqual(
      calls.map(({ sid, from, to, direction }) => ({ sid, from, to, direction })),
      [
        { sid: second.sid, from: '+447418344719', to: '+15551110012', direction: 'outbound-api' },
        { sid: first.sid, from: '+447418344719', to: '+15551110011', direction: 'outbound-api' },
      ],
    );
    for (const call of calls) {
      assert.match(String(call['status']), /^(queued|ringing)$/);
      assert.match(String(call['dateCreated']), RFC_2822);
    }
  });

  test('answering an unknown call is a 404 problem', async () => {
    const h = await harness();
    const response = await fetch(`${h.origin}/sandbox/calls/ID00000000000000000000000000000000-CA00/answer`, { method: 'POST' });
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    const problem = (await response.json()) as Record<string, unknown>;
    assert.equal(problem['status'], 404);
    assert.equal(problem['code'], 'not_found');
    assert.equal(typeof problem['type'], 'string');
    assert.equal(typeof problem['title'], 'string');
  });

  test('answering a call that is not ringing is a 409 problem', async () => {
    const h = await harness({ ringDelayMs: 1000 });
    const { sid } = await h.provider.placeCall(h.request());
    const response = await fetch(`${h.origin}/sandbox/calls/${sid}/answer`, { method: 'POST' });
    assert.equal(response.status, 409);
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    assert.equal(((await response.json()) as Record<string, unknown>)['code'], 'invalid_request');
    assert.equal(h.rcmlRequests.length, 0);
  });
});

describe('Restcomm emulator: text messages', () => {
  const smsUrl = (h: Harness) => `${h.origin}/sandbox/restcomm/2012-04-24/Accounts/${ACCOUNT}/SMS/Messages.json`;
  const post = (h: Harness, fields: Record<string, string>) =>
    fetch(smsUrl(h), {
      method: 'POST',
      headers: { authorization: basic(ACCOUNT, TOKEN), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
    });

  test('the driver sends a text; the sandbox phone lists it, newest first, and it moves from sending to sent', async () => {
    const h = await harness();
    const body = smsText({ code: '4719', host: 'shop.example.com', lang: 'en' });
    const first = await h.provider.sendSms!({ from: '+15005550006', to: '+15551234567', body });
    assert.match(first.sid, /^SM[0-9a-f]{32}$/);
    const record = (await (
      await fetch(smsUrl(h).replace('.json', `/${first.sid}.json`), { headers: { authorization: basic(ACCOUNT, TOKEN) } })
    ).json()) as Record<string, unknown>;
    assert.equal(record['status'], 'sending');
    assert.equal(record['body'], body);
    assert.equal(record['direction'], 'outbound-api');

    const second = await h.provider.sendSms!({
      from: '+15005550006',
      to: '+15557654321',
      body: 'Tu código es 1234.\n\n@shop.example.com #1234',
    });
    const listed = (await (await fetch(`${h.origin}/sandbox/messages`)).json()) as Array<Record<string, string>>;
    assert.deepEqual(
      listed.map((m) => [m['sid'], m['to'], m['from']]),
      [
        [second.sid, '+15557654321', '+15005550006'],
        [first.sid, '+15551234567', '+15005550006'],
      ],
    );
    assert.equal(listed[0]!['body'], 'Tu código es 1234.\n\n@shop.example.com #1234', 'UCS-2 text arrives whole');
    assert.ok(!Number.isNaN(Date.parse(listed[0]!['time']!)), 'each text has a time');
    await waitFor('the text to be sent', () => h.emulator.messages().every((m) => m.status === 'sent'));
  });

  test('a missing field is a 400 with a plain-text body, and nothing is sent', async () => {
    const h = await harness();
    for (const missing of ['From', 'To', 'Body']) {
      const fields: Record<string, string> = { From: '+15005550006', To: '+15551234567', Body: 'Hello' };
      delete fields[missing];
      const response = await post(h, fields);
      assert.equal(response.status, 400, missing);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(await response.text(), `${missing} can not be null.`);
    }
    assert.deepEqual(h.emulator.messages(), []);
  });

  test("past the account's limit it answers 403 SMS_LIMIT_EXCEEDED, which the driver reports as a refusal", async () => {
    const h = await harness({ smsLimit: 1 });
    await h.provider.sendSms!({ from: '+15005550006', to: '+15551234567', body: 'one' });
    await assert.rejects(h.provider.sendSms!({ from: '+15005550006', to: '+15551234567', body: 'two' }), (error) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.httpStatus, 403);
      assert.equal(error.providerCode, 'SMS_LIMIT_EXCEEDED');
      assert.equal(error.refused, true);
      assert.equal(error.kind, 'rejected');
      return true;
    });
    assert.equal(h.emulator.messages().length, 1);
  });

  test('a body over 160 bytes is cut to its first 159 characters, as Restcomm does', async () => {
    const h = await harness();
    const response = await post(h, { From: '+15005550006', To: '+15551234567', Body: 'x'.repeat(200) });
    assert.equal(response.status, 200);
    assert.equal(h.emulator.messages()[0]!.body, 'x'.repeat(159));
  });

  test("texts need the account's credentials", async () => {
    const h = await harness();
    const response = await fetch(smsUrl(h), {
      method: 'POST',
      headers: { authorization: basic(ACCOUNT, 'wrong'), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ From: '+15005550006', To: '+15551234567', Body: 'Hello' }),
    });
    assert.equal(response.status, 401);
    assert.deepEqual(h.emulator.messages(), []);
  });

  test('answering a voice-channel call says the code digit by digit, twice', async () => {
    const h = await harness({
      rcml: (c) => c.body(renderVoiceRcml({ code: '4719', locale: 'es-ES' }), 200, { 'content-type': 'text/xml; charset=utf-8' }),
    });
    const { sid } = await h.provider.placeCall(h.request());
    await waitFor('ringing', () => h.emulator.calls()[0]?.status === 'ringing');
    const answered = (await (await fetch(`${h.origin}/sandbox/calls/${sid}/answer`, { method: 'POST' })).json()) as { spoken: string };
    assert.equal(answered.spoken, 'Su código es 4, 7, 1, 9. Su código es 4, 7, 1, 9.');
  });
});
