import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SandboxClient } from '../support/sandbox.js';
import { startSandbox } from '../support/sandbox.js';

describe('Restcomm hooks', () => {
  let sandbox: SandboxClient;
  before(async () => {
    sandbox = await startSandbox({ FCV_RING_SECONDS: '30' });
  });
  after(() => sandbox.close());

  async function started(phone: string, lang?: string) {
    const { body } = await sandbox.start({ phone, ...(lang ? { lang } : {}) });
    const calls = (await sandbox.request('/sandbox/calls')).body as Array<{ sid: string; to: string; from: string }>;
    const call = calls.find((c) => c.to === phone)!;
    return { id: body.id as string, hookToken: sandbox.server.service.hookToken(body.id), call };
  }

  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  test('answering the call reads the code aloud, digit by digit, twice, then hangs up', async () => {
    const { id, call } = await started('+447418301270');
    await sandbox.waitForStatus(id, 'ringing');
    const answered = await sandbox.request(`/sandbox/calls/${call.sid}/answer`, { method: 'POST' });
    assert.equal(answered.status, 200);
    const code = call.from.slice(-4);
    const { rcml, spoken } = answered.body;
    assert.match(rcml, /<Say voice="woman" language="en"[^>]*>/);
    assert.match(rcml, /<Hangup\/>/);
    assert.ok(rcml.includes(code.split('').join(', ')), rcml);
    assert.ok(spoken.includes(code.split('').join(', ')), spoken);
    await sandbox.waitForStatus(id, 'answered');
    // The spoken code verifies like the typed one.
    assert.equal((await sandbox.check(id, code)).status, 200);
  });

  test('the RCML hook answers text/xml in the session’s language, and only for the real caller ID', async () => {
    const { hookToken, call } = await started('+447418301271', 'es-ES');
    const fields = { CallSid: call.sid, From: call.from, To: call.to, CallStatus: 'in-progress' };
    const answer = await sandbox.request(`/hooks/restcomm/${hookToken}/rcml`, form(fields));
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^text\/xml/);
    assert.match(answer.body, /language="es"/);
    const forged = await sandbox.request(`/hooks/restcomm/${hookToken}/rcml`, form({ ...fields, From: '+447418300000' }));
    assert.equal(forged.status, 404);
  });

  test('status callbacks map Restcomm’s words, upper case included, and never move a session back', async () => {
    const { id, hookToken, call } = await started('+447418301272');
    await sandbox.waitForStatus(id, 'ringing');
    const send = (CallStatus: string, SequenceNumber?: string) =>
      sandbox.request(
        `/hooks/restcomm/${hookToken}/status`,
        form({ CallSid: call.sid, CallStatus, From: call.from, To: call.to, ...(SequenceNumber ? { SequenceNumber } : {}) }),
      );
    const answered = await send('IN_PROGRESS', '2');
    assert.equal(answered.status, 200);
    assert.equal(answered.body, '', 'Restcomm parses a non-empty answer as XML');
    await sandbox.waitForStatus(id, 'answered');
    await send('ringing', '1');
    await send('initiated', '0');
    assert.equal((await sandbox.request(`/v1/verifications/${id}`)).body.status, 'answered');
    await send('NO_ANSWER', '3');
    assert.equal((await sandbox.request(`/v1/verifications/${id}`)).body.status, 'call-ended');
  });

  test('a forged hook token is 404 and changes nothing', async () => {
    const { id, call } = await started('+447418301273');
    await sandbox.waitForStatus(id, 'ringing');
    // The right shape and the right session, but a MAC made without the server's secret.
    const forgedToken = `${id}.${'A'.repeat(43)}`;
    const status = await sandbox.request(
      `/hooks/restcomm/${forgedToken}/status`,
      form({ CallSid: call.sid, CallStatus: 'completed', SequenceNumber: '3' }),
    );
    assert.equal(status.status, 404);
    assert.equal(status.body.code, 'not_found');
    const rcml = await sandbox.request(`/hooks/restcomm/${forgedToken}/rcml`, form({ From: call.from }));
    assert.equal(rcml.status, 404);
    assert.equal((await sandbox.request(`/v1/verifications/${id}`)).body.status, 'ringing');
  });

  test('hooks refuse other methods with 405', async () => {
    const { hookToken } = await started('+447418301274');
    const get = await sandbox.request(`/hooks/restcomm/${hookToken}/status`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const put = await sandbox.request(`/hooks/restcomm/${hookToken}/rcml`, { method: 'PUT' });
    assert.equal(put.status, 405);
  });

  test('an unanswered call ends as call-ended after the ring time, and the code still works', async () => {
    const short = await startSandbox({ FCV_RING_SECONDS: '3' });
    try {
      const { body } = await short.start({ phone: '+447418301275' });
      await short.waitForStatus(body.id, 'call-ended', 6000);
      const code = await short.codeFor('+447418301275', 4);
      assert.equal((await short.check(body.id, code)).status, 200);
    } finally {
      await short.close();
    }
  });
});
