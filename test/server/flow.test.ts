import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestClock } from '../support/clock.js';
import type { SandboxClient } from '../support/sandbox.js';
import { PAGE_ORIGIN, SANDBOX_PHONE, startSandbox, wrongCode } from '../support/sandbox.js';

describe('the verification flow over HTTP, in sandbox mode', () => {
  let sandbox: SandboxClient;
  const clock = new TestClock();
  before(async () => {
    sandbox = await startSandbox({}, { clock });
  });
  after(() => sandbox.close());

  test('start, read the caller ID, a wrong code, the right code, redeem once', async () => {
    const started = await sandbox.start({ phone: '07418 301234', country: 'GB' });
    assert.equal(started.status, 201);
    const session = started.body;
    assert.equal(session.status, 'calling');
    assert.equal(session.phone, SANDBOX_PHONE);
    assert.equal(session.codeLength, 4);
    assert.equal(session.callerIdPrefix, '+44741830');
    assert.equal(session.attemptsLeft, 3);
    assert.ok(Date.parse(session.expiresAt) > Date.now());
    assert.equal(started.headers.get('access-control-allow-origin'), PAGE_ORIGIN);

    const calls = (await sandbox.request('/sandbox/calls')).body;
    assert.equal(calls[0].to, SANDBOX_PHONE);
    assert.match(calls[0].from, /^\+44741830\d{4}$/);
    const code = calls[0].from.slice(-4);

    await sandbox.waitForStatus(session.id, 'ringing');

    const wrong = await sandbox.check(session.id, wrongCode(code));
    assert.equal(wrong.status, 422);
    assert.equal(wrong.headers.get('content-type'), 'application/problem+json');
    assert.equal(wrong.body.code, 'wrong_code');
    assert.equal(wrong.body.attemptsLeft, 2);

    const right = await sandbox.check(session.id, code);
    assert.equal(right.status, 200);
    assert.equal(right.body.status, 'verified');
    assert.match(right.body.token, /^fcvt_[A-Za-z0-9_-]{27}$/);
    assert.ok(Date.parse(right.body.tokenExpiresAt) > Date.now());

    const read = await sandbox.request(`/v1/verifications/${session.id}`);
    assert.equal(read.body.status, 'verified');

    const redeemed = await sandbox.siteverify(right.body.token);
    assert.deepEqual(
      { ...redeemed.body, verifiedAt: typeof redeemed.body.verifiedAt },
      {
        success: true,
        phone: SANDBOX_PHONE,
        siteKey: 'pk_sandbox',
        verifiedAt: 'string',
        hostname: 'localhost',
        action: null,
        context: null,
      },
    );
    const again = await sandbox.siteverify(right.body.token);
    assert.deepEqual(again.body, { success: false, 'error-codes': ['timeout-or-duplicate'] });
  });

  test('verifying hangs up the call that is still ringing', async () => {
    const { body: session } = await sandbox.start({ phone: '+447418301235' });
    await sandbox.waitForStatus(session.id, 'ringing');
    const code = await sandbox.codeFor('+447418301235', 4);
    assert.equal((await sandbox.check(session.id, code)).status, 200);
    const deadline = Date.now() + 3000;
    let status = '';
    while (Date.now() < deadline) {
      const calls = (await sandbox.request('/sandbox/calls')).body as Array<{ to: string; status: string }>;
      status = calls.find((c) => c.to === '+447418301235')!.status;
      if (status !== 'ringing' && status !== 'queued') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(['completed', 'canceled'].includes(status), `call left ${status}`);
  });

  test('the third wrong code locks the session, and the right code no longer works', async () => {
    const { body: session } = await sandbox.start({ phone: '+447418301236' });
    const code = await sandbox.codeFor('+447418301236', 4);
    const first = await sandbox.check(session.id, wrongCode(code));
    const second = await sandbox.check(session.id, wrongCode(code));
    const third = await sandbox.check(session.id, wrongCode(code));
    assert.deepEqual(
      [first, second, third].map((a) => [a.status, a.body.code, a.body.attemptsLeft]),
      [
        [422, 'wrong_code', 2],
        [422, 'wrong_code', 1],
        [422, 'wrong_code', 0],
      ],
    );
    assert.equal(third.body.sessionStatus, 'locked');
    const right = await sandbox.check(session.id, code);
    assert.equal(right.status, 423);
    assert.equal(right.body.code, 'too_many_attempts');
    assert.equal((await sandbox.request(`/v1/verifications/${session.id}`)).body.status, 'locked');
  });

  test('a session past its TTL is expired and the right code is refused', async () => {
    const { body: session } = await sandbox.start({ phone: '+447418301237' });
    const code = await sandbox.codeFor('+447418301237', 4);
    clock.advance(300_000);
    try {
      assert.equal((await sandbox.request(`/v1/verifications/${session.id}`)).body.status, 'expired');
      const late = await sandbox.check(session.id, code);
      assert.equal(late.status, 410);
      assert.equal(late.body.code, 'expired');
    } finally {
      clock.offsetMs = 0;
    }
  });

  test('an unredeemed token expires after 300 seconds', async () => {
    const { body: session } = await sandbox.start({ phone: '+447418301238' });
    const code = await sandbox.codeFor('+447418301238', 4);
    const { body: verified } = await sandbox.check(session.id, code);
    clock.advance(301_000);
    try {
      const late = await sandbox.siteverify(verified.token);
      assert.deepEqual(late.body['error-codes'], ['timeout-or-duplicate']);
    } finally {
      clock.offsetMs = 0;
    }
  });

  test('a second check after verifying is refused and issues no new token', async () => {
    const { body: session } = await sandbox.start({ phone: '+447418301239' });
    const code = await sandbox.codeFor('+447418301239', 4);
    assert.equal((await sandbox.check(session.id, code)).status, 200);
    const again = await sandbox.check(session.id, code);
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'already_verified');
    assert.equal(again.body.token, undefined);
  });

  test('the event stream sends each status and ends once verified', async () => {
    const { body: session } = await sandbox.start({ phone: '+447418301240' });
    const response = await fetch(`${sandbox.url}/v1/verifications/${session.id}/events`, {
      headers: { origin: PAGE_ORIGIN, accept: 'text/event-stream' },
    });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    assert.equal(response.headers.get('access-control-allow-origin'), PAGE_ORIGIN);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const statuses: string[] = [];
    let buffer = '';
    const readUntil = async (status: string) => {
      while (!statuses.includes(status)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${status}: ${statuses}`);
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = frame.split('\n').find((line) => line.startsWith('data:'));
          if (frame.includes('event: status') && data) statuses.push(JSON.parse(data.slice(5)).status);
        }
      }
    };
    await readUntil('ringing');
    const code = await sandbox.codeFor('+447418301240', 4);
    await sandbox.check(session.id, code);
    await readUntil('verified');
    assert.equal((await reader.read()).done, true, 'the stream ends after a final status');
    assert.deepEqual(statuses, ['calling', 'ringing', 'verified']);
    const body = JSON.stringify(statuses);
    assert.ok(!body.includes(code));
  });

  test('no browser-facing answer carries the code or the full caller ID', async () => {
    const started = await sandbox.start({ phone: '+447418301241' });
    const calls = (await sandbox.request('/sandbox/calls')).body as Array<{ to: string; from: string }>;
    const callerId = calls.find((c) => c.to === '+447418301241')!.from;
    const code = callerId.slice(-4);
    const read = await sandbox.request(`/v1/verifications/${started.body.id}`);
    const wrong = await sandbox.check(started.body.id, wrongCode(code));
    for (const answer of [started, read, wrong]) {
      const text = JSON.stringify(answer.body);
      assert.ok(!text.includes(callerId), text);
      assert.ok(!text.includes(callerId.slice(1)), text);
      assert.ok(!new RegExp(`"${code}"`).test(text), text);
    }
  });

  test('a log captured over a whole flow holds no code, token, secret or full caller ID', async () => {
    const lines: string[] = [];
    const logged = await startSandbox({}, { log: (level, event, fields) => lines.push(JSON.stringify({ level, event, ...fields })) });
    try {
      const { body: session } = await logged.start({ phone: '+447418301242' });
      const calls = (await logged.request('/sandbox/calls')).body as Array<{ from: string; sid: string }>;
      const callerId = calls[0]!.from;
      const code = callerId.slice(-4);
      await logged.waitForStatus(session.id, 'ringing');
      await logged.request(`/sandbox/calls/${calls[0]!.sid}/answer`, { method: 'POST' });
      await logged.check(session.id, wrongCode(code));
      const { body: verified } = await logged.check(session.id, code);
      await logged.siteverify(verified.token);
      const log = lines.join('\n');
      assert.ok(
        lines.some((line) => line.includes('verification.verified')),
        log,
      );
      const hookToken = logged.server.service.hookToken(session.id);
      assert.ok(
        lines.some((line) => line.includes('"event":"request"') && line.includes('/hooks/restcomm/:hookToken')),
        log,
      );
      for (const secret of [callerId, callerId.slice(1), verified.token, 'sk_sandbox', hookToken]) {
        assert.ok(!log.includes(secret), `log holds ${secret}`);
      }
      assert.ok(!log.includes(`"${code}"`) && !log.includes(code.split('').join(', ')), 'log holds the code');
    } finally {
      await logged.close();
    }
  });
});
