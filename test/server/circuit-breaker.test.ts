import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withCircuitBreaker } from '../../server/telephony/circuit-breaker.js';
import { ProviderError } from '../../server/telephony/provider.js';
import type { SendSmsRequest, TelephonyProvider } from '../../server/telephony/provider.js';
import { ManualClock } from '../support/in-process.js';

const text: SendSmsRequest = { from: '+15005550006', to: '+447418301234', body: 'Your verification code is 4719.' };
const call = { from: '+447418304719', to: '+447418301234', ringSeconds: 20, rcmlUrl: 'https://x/rcml', statusCallbackUrl: 'https://x/s' };

/** A provider whose SMS side fails as told and whose calls always go through. */
function provider(smsFault: () => ProviderError | undefined) {
  const sent = { calls: 0, texts: 0 };
  const inner: TelephonyProvider = {
    async placeCall() {
      sent.calls++;
      return { sid: 'CA1' };
    },
    async hangUp() {},
    async sendSms() {
      sent.texts++;
      const fault = smsFault();
      if (fault) throw fault;
      return { sid: 'SM1' };
    },
  };
  return { inner, sent };
}

describe('circuit breaker: text messages', () => {
  test('an SMS gateway failing opens the SMS circuit only: calls still go through, and a probe closes it later', async () => {
    const clock = new ManualClock();
    let failing = true;
    const { inner, sent } = provider(() => (failing ? new ProviderError('down', 'server', 503) : undefined));
    const changes: string[] = [];
    const guarded = withCircuitBreaker(inner, {
      clock,
      failureThreshold: 3,
      openMs: 1000,
      onChange: (state) => changes.push(`calls ${state}`),
      onSmsChange: (state) => changes.push(`sms ${state}`),
    });
    for (let i = 0; i < 3; i++) await assert.rejects(guarded.sendSms!(text), { kind: 'server' });
    assert.equal(guarded.smsState, 'open');
    await assert.rejects(
      guarded.sendSms!(text),
      (error) => error instanceof ProviderError && error.kind === 'circuit-open' && error.refused,
    );
    assert.equal(sent.texts, 3, 'nothing sent while open');

    assert.deepEqual(await guarded.placeCall(call), { sid: 'CA1' });
    assert.equal(guarded.state, 'closed');

    clock.advance(1000);
    failing = false;
    assert.deepEqual(await guarded.sendSms!(text), { sid: 'SM1' });
    assert.equal(guarded.smsState, 'closed');
    assert.deepEqual(changes, ['sms open', 'sms half-open', 'sms closed']);
  });

  test("the account's SMS limit says nothing of the provider's health and never opens the circuit", async () => {
    const { inner } = provider(() => new ProviderError('limit', 'rejected', 403, { refused: true, providerCode: 'SMS_LIMIT_EXCEEDED' }));
    const guarded = withCircuitBreaker(inner, { failureThreshold: 2 });
    for (let i = 0; i < 5; i++) await assert.rejects(guarded.sendSms!(text), { kind: 'rejected' });
    assert.equal(guarded.smsState, 'closed');
  });

  test('a provider without SMS stays without it', () => {
    const guarded = withCircuitBreaker({ placeCall: async () => ({ sid: 'CA1' }), hangUp: async () => {} });
    assert.equal(guarded.sendSms, undefined);
  });
});
