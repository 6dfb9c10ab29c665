import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import type { ConfigError } from '../../server/config.js';
import { loadConfig } from '../../server/config.js';
import { createRestcommProvider } from '../../server/restcomm/driver.js';
import { ManualClock, PRODUCTION_ENV, inProcessApp } from '../support/in-process.js';
import type { Answer, SandboxClient } from '../support/sandbox.js';
import { PAGE_ORIGIN, SANDBOX_PHONE, startSandbox, wrongCode } from '../support/sandbox.js';

/**
 * The voice and SMS channels through the real Restcomm driver, against a stand-in Restcomm that records each
 * request and answers as a test tells it: what is sent, what the code is, each fault, and the limits.
 */

const ACCOUNT = 'AC0123456789abcdef0123456789abcdef';
const VOICE_CALLER_ID = '+447418310000';
const SMS_FROM = 'FlashVerify';

interface Sent {
  kind: 'call' | 'sms';
  form: URLSearchParams;
  /** The sid the stand-in answered with. */
  sid?: string;
}

type Respond = (sent: Sent, response: ServerResponse) => void;

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

/** Answers as Restcomm does when all is well: a call record, or a message record whose status is `sending`. */
const accept: Respond = (sent, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  const sid = `${sent.kind === 'sms' ? 'SM' : 'CA'}${String(Math.floor(Math.random() * 1e12)).padStart(32, '0')}`;
  sent.sid = sid;
  response.end(JSON.stringify({ sid, status: sent.kind === 'sms' ? 'sending' : 'queued' }));
};

/** A stand-in Restcomm; `respond` may be changed by the test between requests. */
async function restcomm(initial: Respond = accept) {
  const sent: Sent[] = [];
  const double = { sent, respond: initial, url: '' };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url?.includes('/Calls/')) {
        // A hang-up of an earlier call.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      const one: Sent = { kind: req.url?.includes('/SMS/Messages') ? 'sms' : 'call', form: new URLSearchParams(body) };
      sent.push(one);
      double.respond(one, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  double.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/restcomm`;
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return double;
}

async function sandboxOn(double: { url: string }, env: Record<string, string> = {}, clock?: ManualClock): Promise<SandboxClient> {
  const provider = createRestcommProvider({ baseUrl: double.url, accountSid: ACCOUNT, authToken: 'channels-token', timeoutMs: 300 });
  const sandbox = await startSandbox({ FCV_RESEND_SECONDS: '0', ...env }, { provider, ...(clock ? { clock } : {}) });
  cleanup.push(() => sandbox.close());
  return sandbox;
}

function fallback(sandbox: SandboxClient, id: string, channel: string): Promise<Answer> {
  return sandbox.request(`/v1/verifications/${id}/fallback`, { method: 'POST', headers: { origin: PAGE_ORIGIN }, json: { channel } });
}

/** The code a text carries, read from its WebOTP line, which must be its last. */
function textCode(sent: Sent): string {
  const lines = sent.form.get('Body')!.split('\n');
  const match = /^@localhost #(\d+)$/.exec(lines.at(-1)!);
  assert.ok(match, `the last line is the WebOTP line: ${JSON.stringify(lines)}`);
  return match[1]!;
}

/** What the voice call says when answered, as Restcomm would fetch it; and the code in it. */
async function spoken(sent: Sent, from = VOICE_CALLER_ID): Promise<{ status: number; rcml: string; code: string }> {
  const response = await fetch(sent.form.get('Url')!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ CallSid: 'CA1', From: from, To: sent.form.get('To')! }).toString(),
  });
  const rcml = await response.text();
  const digits = [...rcml.matchAll(/<Say[^>]*>(\d)[.,]<\/Say>/g)].map((m) => m[1]).join('');
  return { status: response.status, rcml, code: digits.slice(0, digits.length / 2) };
}

describe('the SMS channel', () => {
  test('a start by text: one message from FCV_SMS_FROM, its WebOTP line names the page host, its code verifies', async () => {
    const double = await restcomm();
    const sandbox = await sandboxOn(double);
    const started = await sandbox.start({ channel: 'sms', lang: 'es' });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal(started.body.channel, 'sms');
    assert.equal(started.body.status, 'sent');
    assert.equal(started.body.codeLength, 6);
    assert.equal('callerIdPrefix' in started.body, false, 'a text has no caller ID to show');
    assert.deepEqual(
      double.sent.map((s) => s.kind),
      ['sms'],
    );
    const [text] = double.sent;
    assert.equal(text!.form.get('From'), SMS_FROM);
    assert.equal(text!.form.get('To'), SANDBOX_PHONE);
    assert.match(text!.form.get('Body')!, /^Tu código/, 'in the language of the session');
    const code = textCode(text!);
    assert.equal((await sandbox.check(started.body.id, wrongCode(code))).status, 422);
    const verified = await sandbox.check(started.body.id, code);
    assert.equal(verified.status, 200);
    assert.equal((await sandbox.siteverify(verified.body.token)).body.success, true);
  });

  test('a fallback to a text: the flash code stops working, attempts start afresh, an open event stream sees it', async () => {
    const double = await restcomm();
    const sandbox = await sandboxOn(double);
    const started = await sandbox.start();
    const id = started.body.id as string;
    const flashCode = double.sent[0]!.form.get('From')!.slice(-started.body.codeLength);
    assert.equal((await sandbox.check(id, wrongCode(flashCode))).body.attemptsLeft, 2);

    const stream = await fetch(`${sandbox.url}/v1/verifications/${id}/events`, { headers: { origin: PAGE_ORIGIN } });
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = '';
    const sawSms = (async () => {
      while (!seen.includes('"channel":"sms"')) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += value;
      }
    })();

    const switched = await fallback(sandbox, id, 'sms');
    assert.equal(switched.status, 200, JSON.stringify(switched.body));
    assert.equal(switched.body.id, id, 'the same session');
    assert.equal(switched.body.channel, 'sms');
    assert.equal(switched.body.attemptsLeft, 3);
    assert.equal('callerIdPrefix' in switched.body, false);
    await sawSms;
    await reader.cancel();
    assert.match(seen, /"status":"sent"/);

    const code = textCode(double.sent[1]!);
    // Four digits where six are asked for: refused before it could match anything.
    assert.equal((await sandbox.check(id, flashCode)).status, 400, 'the flash code no longer works');
    assert.equal((await sandbox.check(id, code)).status, 200);
  });

  test('Restcomm over its SMS limit (403): provider_unavailable, nothing spent, the session as it was', async () => {
    const double = await restcomm();
    const clock = new ManualClock(Date.now());
    const sandbox = await sandboxOn(double, { FCV_RESEND_SECONDS: '30' }, clock);
    const started = await sandbox.start();
    double.respond = (_sent, response) => {
      response.writeHead(403, { 'content-type': 'application/json' });
      response.end('{"error":"SMS_LIMIT_EXCEEDED","message":"The account has reached its SMS limit."}');
    };
    clock.advance(31_000);
    const refused = await fallback(sandbox, started.body.id, 'sms');
    assert.equal(refused.status, 502);
    assert.equal(refused.body.code, 'provider_unavailable');
    assert.equal(refused.body.retryable, true);
    assert.equal((await sandbox.request(`/v1/verifications/${started.body.id}`)).body.channel, 'flash');
    // Refunded: the cooldown does not refuse a second try, which Restcomm now accepts.
    double.respond = accept;
    const again = await fallback(sandbox, started.body.id, 'sms');
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(double.sent.filter((s) => s.kind === 'sms').length, 2);
    assert.equal((await sandbox.check(started.body.id, textCode(double.sent.at(-1)!))).status, 200);
  });

  test('a refused text leaves the flash code working', async () => {
    const double = await restcomm();
    const sandbox = await sandboxOn(double);
    const started = await sandbox.start();
    const flashCode = double.sent[0]!.form.get('From')!.slice(-started.body.codeLength);
    double.respond = (_sent, response) => {
      response.writeHead(400, { 'content-type': 'text/plain' });
      response.end('To is required');
    };
    assert.equal((await fallback(sandbox, started.body.id, 'sms')).status, 502);
    assert.equal((await sandbox.check(started.body.id, flashCode)).status, 200);
  });

  for (const fault of ['timeout', '5xx', 'no sid'] as const) {
    test(`${fault} while texting: provider_unavailable, the limits kept (no second text), the new code stays`, async () => {
      const double = await restcomm();
      const clock = new ManualClock(Date.now());
      const sandbox = await sandboxOn(double, { FCV_RESEND_SECONDS: '30' }, clock);
      const started = await sandbox.start();
      clock.advance(31_000);
      double.respond = (_sent, response) => {
        if (fault === 'timeout') return; // never answers
        response.writeHead(fault === '5xx' ? 503 : 200, { 'content-type': 'application/json' });
        response.end(fault === '5xx' ? '{"message":"down"}' : '{"status":"sending"}');
      };
      const failed = await fallback(sandbox, started.body.id, 'sms');
      assert.equal(failed.status, 502);
      assert.equal(failed.body.code, 'provider_unavailable');
      const retry = await fallback(sandbox, started.body.id, 'sms');
      assert.equal(retry.status, 429, 'the text may have gone: the cooldown holds');
      assert.equal(retry.body.limit, 'resend');
      assert.equal(double.sent.filter((s) => s.kind === 'sms').length, 1, 'no double send');
      // The text may still arrive, so its code is the one that works.
      const view = (await sandbox.request(`/v1/verifications/${started.body.id}`)).body;
      assert.equal(view.channel, 'sms');
      assert.equal((await sandbox.check(started.body.id, textCode(double.sent[1]!))).status, 200);
    });
  }
});

describe('the voice channel', () => {
  test('a fallback to a voice call: from FCV_VOICE_CALLER_ID, rings 30 s, says the code twice, slowly, in the language', async () => {
    const double = await restcomm();
    const sandbox = await sandboxOn(double);
    const started = await sandbox.start({ lang: 'es-MX' });
    const id = started.body.id as string;
    const flashCode = double.sent[0]!.form.get('From')!.slice(-started.body.codeLength);
    const switched = await fallback(sandbox, id, 'voice');
    assert.equal(switched.status, 200, JSON.stringify(switched.body));
    assert.equal(switched.body.channel, 'voice');
    assert.equal(switched.body.status, 'calling');
    assert.equal(switched.body.codeLength, 6);
    assert.equal('callerIdPrefix' in switched.body, false, 'the voice caller ID carries no code');
    const call = double.sent[1]!;
    assert.equal(call.kind, 'call');
    assert.equal(call.form.get('From'), VOICE_CALLER_ID);
    assert.equal(call.form.get('To'), SANDBOX_PHONE);
    assert.equal(call.form.get('Timeout'), '30');

    const said = await spoken(call);
    assert.equal(said.status, 200);
    assert.match(said.rcml, /language="es"/);
    assert.match(said.rcml, /Su código es/);
    assert.equal(said.code.length, 6);
    assert.equal([...said.rcml.matchAll(/Su código es/g)].length, 2, 'said twice');
    assert.match(said.rcml, /<Pause length="1"\/>/, 'slowly');
    assert.equal((await spoken(call, '+447418301111')).status, 404, 'only to a call from the voice caller ID');

    assert.equal((await sandbox.check(id, flashCode)).status, 400, 'the flash code no longer works');
    assert.equal((await sandbox.check(id, said.code)).status, 200);
  });

  test('FCV_VOICE_RING_SECONDS sets how long it rings; a start by voice works too', async () => {
    const double = await restcomm();
    const sandbox = await sandboxOn(double, { FCV_VOICE_RING_SECONDS: '45' });
    const started = await sandbox.start({ channel: 'voice' });
    assert.equal(started.status, 201);
    assert.equal(double.sent[0]!.form.get('Timeout'), '45');
    assert.equal((await sandbox.check(started.body.id, (await spoken(double.sent[0]!)).code)).status, 200);
  });

  test("the replaced flash call's late callbacks do not move the voice call's status", async () => {
    const double = await restcomm();
    const sandbox = await sandboxOn(double);
    const started = await sandbox.start();
    const flashCall = double.sent[0]!;
    const callback = (callStatus: string) =>
      fetch(flashCall.form.get('StatusCallback')!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ CallSid: flashCall.sid!, CallStatus: callStatus, SequenceNumber: '9' }).toString(),
      }).then((response) => response.status);
    assert.equal(await callback('ringing'), 200);
    // The flash call ends (hung up for the fallback) while the voice call is still being placed.
    double.respond = (sent, response) => {
      void callback('completed').then(() => accept(sent, response));
    };
    const switched = await fallback(sandbox, started.body.id, 'voice');
    assert.equal(switched.status, 200);
    const view = await sandbox.request(`/v1/verifications/${started.body.id}`);
    assert.equal(view.body.status, 'calling', 'not call-ended: that was the flash call');
  });

  test('a failed voice call (5xx): provider_unavailable, the cooldown kept', async () => {
    const double = await restcomm();
    const clock = new ManualClock(Date.now());
    const sandbox = await sandboxOn(double, { FCV_RESEND_SECONDS: '30' }, clock);
    const started = await sandbox.start();
    clock.advance(31_000);
    double.respond = (_sent, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"message":"oops"}');
    };
    assert.equal((await fallback(sandbox, started.body.id, 'voice')).status, 502);
    assert.equal((await fallback(sandbox, started.body.id, 'voice')).status, 429);
    assert.equal(double.sent.filter((s) => s.form.get('From') === VOICE_CALLER_ID).length, 1);
  });
});

describe('limits apply to every channel', () => {
  test('the per-number limit counts flash calls, voice calls and texts together', async () => {
    const double = await restcomm();
    const sandbox = await sandboxOn(double, { FCV_LIMITS: JSON.stringify([{ scope: 'phone', max: 2, windowSeconds: 900 }]) });
    const started = await sandbox.start();
    assert.equal((await fallback(sandbox, started.body.id, 'sms')).status, 200);
    const third = await fallback(sandbox, started.body.id, 'voice');
    assert.equal(third.status, 429);
    assert.equal(third.body.limit, 'phone');
    assert.equal(double.sent.length, 2);
  });

  test('the cooldown holds between a flash call and a fallback', async () => {
    const double = await restcomm();
    const clock = new ManualClock(Date.now());
    const sandbox = await sandboxOn(double, { FCV_RESEND_SECONDS: '30' }, clock);
    const started = await sandbox.start();
    const soon = await fallback(sandbox, started.body.id, 'sms');
    assert.equal(soon.status, 429);
    assert.equal(soon.body.limit, 'resend');
    assert.equal(soon.headers.get('retry-after'), '30');
    clock.advance(30_000);
    assert.equal((await fallback(sandbox, started.body.id, 'sms')).status, 200);
  });

  test("each channel's daily cap per site: past it, that channel is refused and the others still work", async () => {
    const double = await restcomm();
    const sandbox = await sandboxOn(double, { FCV_DAILY_CAPS: '{"sms":1}' });
    const first = await sandbox.start({ phone: '+447418301401', channel: 'sms' });
    assert.equal(first.status, 201);
    const second = await sandbox.start({ phone: '+447418302402', channel: 'sms' });
    assert.equal(second.status, 429);
    assert.equal(second.body.limit, 'channel');
    assert.ok(Number(second.headers.get('retry-after')) > 3600, 'until the day is over');
    const flash = await sandbox.start({ phone: '+447418302402' });
    assert.equal(flash.status, 201, 'flash calls keep their own cap');
    assert.equal((await fallback(sandbox, flash.body.id, 'sms')).body.limit, 'channel');
    assert.equal((await fallback(sandbox, flash.body.id, 'voice')).status, 200);
    assert.equal(double.sent.filter((s) => s.kind === 'sms').length, 1);
  });

  test("a site's own dailyCaps replace the default", async () => {
    const double = await restcomm();
    const sites = [{ siteKey: 'pk_sandbox', secret: 'sk_sandbox', origins: ['http://localhost:*'], dailyCaps: { voice: 1 } }];
    const sandbox = await sandboxOn(double, { FCV_SITES: JSON.stringify(sites) });
    assert.equal((await sandbox.start({ phone: '+447418301501', channel: 'voice' })).status, 201);
    assert.equal((await sandbox.start({ phone: '+447418302502', channel: 'voice' })).body.limit, 'channel');
  });
});

describe("a site's channels", () => {
  test('come in its order in every view; a channel it does not list is refused with channel_not_allowed', async () => {
    const double = await restcomm();
    const sites = [{ siteKey: 'pk_sandbox', secret: 'sk_sandbox', origins: ['http://localhost:*'], channels: ['sms', 'flash'] }];
    const sandbox = await sandboxOn(double, { FCV_SITES: JSON.stringify(sites) });
    const started = await sandbox.start();
    assert.deepEqual(started.body.channels, ['sms', 'flash']);
    const voice = await fallback(sandbox, started.body.id, 'voice');
    assert.equal(voice.status, 400);
    assert.equal(voice.body.code, 'channel_not_allowed');
    assert.equal((await sandbox.start({ phone: '+447418301601', channel: 'voice' })).body.code, 'channel_not_allowed');
    assert.equal(double.sent.length, 1);
  });

  test('every channel the server can use when the site lists none', async () => {
    const double = await restcomm();
    const sandbox = await sandboxOn(double);
    assert.deepEqual((await sandbox.start()).body.channels, ['flash', 'voice', 'sms']);
  });
});

describe('FCV_SMS_FROM and FCV_VOICE_CALLER_ID', () => {
  test('without FCV_SMS_FROM there is no SMS: not offered, a fallback to it refused, nothing sent', async () => {
    const app = inProcessApp({ ...PRODUCTION_ENV, FCV_VOICE_CALLER_ID: VOICE_CALLER_ID });
    const started = await app.call('POST', '/v1/verifications', { siteKey: 'pk_live_shop', phone: SANDBOX_PHONE });
    assert.equal(started.status, 201);
    assert.deepEqual(started.body.channels, ['flash', 'voice']);
    const sms = await app.call('POST', `/v1/verifications/${started.body.id}/fallback`, { channel: 'sms' });
    assert.equal(sms.status, 400);
    assert.equal(sms.body.code, 'channel_not_allowed');
    assert.equal(app.provider.texts.length, 0);
    const withSms = inProcessApp({ ...PRODUCTION_ENV, FCV_SMS_FROM: '+447418310001' });
    const again = await withSms.call('POST', '/v1/verifications', { siteKey: 'pk_live_shop', phone: SANDBOX_PHONE, channel: 'sms' });
    assert.equal(again.status, 201);
    assert.equal(withSms.provider.texts[0]!.from, '+447418310001');
  });

  test('a site listing a channel the server cannot use stops the start, naming the variable', () => {
    const sites = (channels: string[]) =>
      JSON.stringify([
        { siteKey: 'pk_live_shop', secret: 'sk_live_shop_0123456789abcdefghijklmnop', origins: ['https://a.example'], channels },
      ]);
    assert.throws(
      () => loadConfig({ ...PRODUCTION_ENV, FCV_SITES: sites(['flash', 'sms']) }),
      (error: ConfigError) => {
        assert.equal(error.variable, 'FCV_SMS_FROM');
        return true;
      },
    );
    assert.throws(() => loadConfig({ ...PRODUCTION_ENV, FCV_SITES: sites(['voice']) }), /FCV_VOICE_CALLER_ID/);
    assert.throws(() => loadConfig({ ...PRODUCTION_ENV, FCV_SITES: sites(['flash', 'fax']) }), /channels must list/);
    assert.throws(() => loadConfig({ ...PRODUCTION_ENV, FCV_SITES: sites([]) }), /channels must list/);
  });

  test('are checked: a voice caller ID must be a valid number, an SMS sender a number or up to 11 letters and digits', () => {
    assert.throws(() => loadConfig({ ...PRODUCTION_ENV, FCV_VOICE_CALLER_ID: '+4400' }), /FCV_VOICE_CALLER_ID/);
    assert.throws(() => loadConfig({ ...PRODUCTION_ENV, FCV_VOICE_CALLER_ID: '07418310000' }), /FCV_VOICE_CALLER_ID/);
    assert.throws(() => loadConfig({ ...PRODUCTION_ENV, FCV_SMS_FROM: 'TwelveLetter' }), /FCV_SMS_FROM/);
    assert.throws(() => loadConfig({ ...PRODUCTION_ENV, FCV_SMS_FROM: '12345' }), /FCV_SMS_FROM/);
    assert.equal(loadConfig({ ...PRODUCTION_ENV, FCV_SMS_FROM: 'Shop 24' }).smsFrom, 'Shop 24');
    assert.equal(loadConfig({ ...PRODUCTION_ENV, FCV_VOICE_CALLER_ID: VOICE_CALLER_ID }).voiceCallerId, VOICE_CALLER_ID);
    const sandbox = loadConfig({ FCV_MODE: 'sandbox' });
    assert.equal(sandbox.smsFrom, SMS_FROM, 'the sandbox works with no variables');
    assert.equal(sandbox.voiceCallerId, VOICE_CALLER_ID);
  });
});

describe('challenge mode', () => {
  test('a challenge session falls back to a text: the masked number stays masked, and siteverify hands back the action', async () => {
    const sites = JSON.stringify([
      { siteKey: 'pk_bank', secret: 'sk_bank_secret_0123456789', origins: ['http://localhost:*'], requireChallenge: true },
    ]);
    const app = inProcessApp({ FCV_SITES: sites });
    const created = await app.call('POST', '/v1/challenges', {
      secret: 'sk_bank_secret_0123456789',
      phone: SANDBOX_PHONE,
      action: 'payment',
      context: 'pay_8f2c',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const started = await app.call('POST', '/v1/verifications', { siteKey: 'pk_bank', challenge: created.body.challenge });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const switched = await app.call('POST', `/v1/verifications/${started.body.id}/fallback`, { channel: 'sms' });
    assert.equal(switched.status, 200, JSON.stringify(switched.body));
    assert.equal(switched.body.phone, '+44 •••• ••1234');
    assert.equal(app.provider.texts[0]!.to, SANDBOX_PHONE);
    const code = /#(\d+)$/.exec(app.provider.texts[0]!.body)![1]!;
    const checked = await app.call('POST', `/v1/verifications/${started.body.id}/check`, { code });
    assert.equal(checked.status, 200, JSON.stringify(checked.body));
    const redeemed = await app.call('POST', '/v1/siteverify', { secret: 'sk_bank_secret_0123456789', token: checked.body.token });
    assert.equal(redeemed.body.success, true);
    assert.equal(redeemed.body.action, 'payment');
    assert.equal(redeemed.body.context, 'pay_8f2c');
  });

  test('a challenge may start with a text, as the element asks with its channel attribute', async () => {
    const sites = JSON.stringify([{ siteKey: 'pk_bank', secret: 'sk_bank_secret_0123456789', origins: ['http://localhost:*'] }]);
    const app = inProcessApp({ FCV_SITES: sites });
    const created = await app.call('POST', '/v1/challenges', {
      secret: 'sk_bank_secret_0123456789',
      phone: SANDBOX_PHONE,
      action: 'login',
    });
    const started = await app.call('POST', '/v1/verifications', { siteKey: 'pk_bank', challenge: created.body.challenge, channel: 'sms' });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.equal(started.body.channel, 'sms');
    assert.equal(app.provider.calls.length, 0);
    assert.equal(app.provider.texts.length, 1);
  });
});
