import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PAGE_ORIGIN, startSandbox } from '../support/sandbox.js';
import { ProviderError } from '../../server/telephony/provider.js';
import type { TelephonyProvider } from '../../server/telephony/provider.js';

describe('provider faults reach the browser as provider_unavailable', () => {
  for (const kind of ['timeout', 'network', 'auth', 'server', 'malformed'] as const) {
    test(`${kind}: 502, retryable, nothing of the provider's answer shown, and no attempt spent`, async () => {
      let calls = 0;
      const provider: TelephonyProvider = {
        async placeCall() {
          calls++;
          throw new ProviderError(`Restcomm said: secret-body-${kind} AuthToken=abc`, kind, 500);
        },
        async hangUp() {},
      };
      const lines: string[] = [];
      const sandbox = await startSandbox(
        { FCV_RESEND_SECONDS: '30' },
        { provider, log: (level, event, fields) => lines.push(JSON.stringify({ level, event, ...fields })) },
      );
      try {
        const answer = await sandbox.start();
        assert.equal(answer.status, 502);
        assert.equal(answer.body.code, 'provider_unavailable');
        assert.ok(!JSON.stringify(answer.body).includes('secret-body'));
        assert.ok(lines.some((line) => line.includes('provider.call_failed')), 'the operator is told');
        // The cooldown was given back, so the user may try again at once.
        assert.equal((await sandbox.start()).status, 502);
        assert.equal(calls, 2);
      } finally {
        await sandbox.close();
      }
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
    const sandbox = await startSandbox({}, { provider });
    try {
      assert.equal((await sandbox.start({}, 'https://evil.example')).status, 403);
      assert.equal((await sandbox.start({}, PAGE_ORIGIN)).status, 201);
      assert.equal(calls, 1);
    } finally {
      await sandbox.close();
    }
  });
});
