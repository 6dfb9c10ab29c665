import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.js';

const PRODUCTION = {
  RESTCOMM_BASE_URL: 'https://cloud.restcomm.com/restcomm',
  RESTCOMM_ACCOUNT_SID: 'ACabc',
  RESTCOMM_AUTH_TOKEN: 'token',
  PUBLIC_URL: 'https://verify.example.com',
  FCV_CALLER_IDS: '+44741830XXXX',
  FCV_SECRET: 'x'.repeat(32),
  FCV_SITES: JSON.stringify([{ siteKey: 'pk_live', secret: 'sk_live_secret', origins: ['https://shop.example'] }]),
};

function failsNaming(env: Record<string, string>, variable: string): void {
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => error instanceof ConfigError && error.variable === variable && error.message.startsWith(variable),
  );
}

describe('configuration', () => {
  test('no Restcomm variables: sandbox on 8787 with the sandbox site', () => {
    const config = loadConfig({});
    assert.equal(config.mode, 'sandbox');
    assert.equal(config.port, 8787);
    assert.equal(config.publicUrl, 'http://localhost:8787');
    assert.equal(config.sites[0]!.siteKey, 'pk_sandbox');
    assert.equal(config.ringSeconds, 15);
    assert.equal(config.ttlSeconds, 300);
  });

  test('sandbox secrets are random per process', () => {
    assert.notDeepEqual(loadConfig({}).secret, loadConfig({}).secret);
  });

  test('a complete production environment loads', () => {
    const config = loadConfig(PRODUCTION);
    assert.equal(config.mode, 'production');
    assert.equal(config.restcomm?.accountSid, 'ACabc');
    assert.equal(config.publicUrl, 'https://verify.example.com');
  });

  test('each bad variable fails at start, naming it', () => {
    failsNaming({ ...PRODUCTION, RESTCOMM_AUTH_TOKEN: '' }, 'RESTCOMM_AUTH_TOKEN');
    failsNaming({ ...PRODUCTION, RESTCOMM_BASE_URL: 'ftp://x' }, 'RESTCOMM_BASE_URL');
    failsNaming({ ...PRODUCTION, PUBLIC_URL: '' }, 'PUBLIC_URL');
    failsNaming({ ...PRODUCTION, FCV_SECRET: 'short' }, 'FCV_SECRET');
    failsNaming({ ...PRODUCTION, FCV_SECRET: '' }, 'FCV_SECRET');
    failsNaming({ ...PRODUCTION, FCV_SITES: '' }, 'FCV_SITES');
    failsNaming({ ...PRODUCTION, FCV_SITES: '[{"siteKey":"a"}]' }, 'FCV_SITES');
    failsNaming({ ...PRODUCTION, FCV_SITES: '/no/such/file.json' }, 'FCV_SITES');
    failsNaming({ ...PRODUCTION, FCV_CALLER_IDS: '+44741830' }, 'FCV_CALLER_IDS');
    failsNaming({ ...PRODUCTION, FCV_CALLER_IDS: '+4474183XXXX' }, 'FCV_CALLER_IDS');
    failsNaming({ PORT: 'eighty' }, 'PORT');
    failsNaming({ FCV_RING_SECONDS: '0' }, 'FCV_RING_SECONDS');
    failsNaming({ FCV_TTL_SECONDS: '1.5' }, 'FCV_TTL_SECONDS');
    failsNaming({ FCV_LIMITS: '[{"scope":"planet","max":1,"windowSeconds":1}]' }, 'FCV_LIMITS');
  });
});
