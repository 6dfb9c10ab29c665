import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, EXAMPLE_SECRETS, loadConfig } from '../../server/config.js';

const PRODUCTION = {
  RESTCOMM_BASE_URL: 'https://cloud.restcomm.com/restcomm',
  RESTCOMM_ACCOUNT_SID: 'ACabc',
  RESTCOMM_AUTH_TOKEN: 'token',
  PUBLIC_URL: 'https://verify.example.com',
  FCV_CALLER_IDS: '+44741830XXXX',
  FCV_SECRET: 'kq3V9xT2mZ7pL4wR8nB6yH1cF5dJ0sGa',
  FCV_SITES: JSON.stringify([
    { siteKey: 'pk_live', secret: 'sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0', origins: ['https://shop.example'] },
  ]),
};

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail('the configuration was accepted');
}

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
    failsNaming({ FCV_MODE: 'staging' }, 'FCV_MODE');
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

describe('the mode is explicit and fails closed', () => {
  const { RESTCOMM_BASE_URL, RESTCOMM_ACCOUNT_SID, RESTCOMM_AUTH_TOKEN, ...withoutRestcomm } = PRODUCTION;
  void RESTCOMM_BASE_URL;
  void RESTCOMM_ACCOUNT_SID;
  void RESTCOMM_AUTH_TOKEN;
  const RESTCOMM = ['RESTCOMM_BASE_URL', 'RESTCOMM_ACCOUNT_SID', 'RESTCOMM_AUTH_TOKEN'];

  test('a production setup without its Restcomm variables refuses to start, naming every missing one', () => {
    const error = refusal(withoutRestcomm);
    assert.deepEqual(error.variables, RESTCOMM);
    assert.match(error.message, /RESTCOMM_BASE_URL, RESTCOMM_ACCOUNT_SID, RESTCOMM_AUTH_TOKEN/);
    assert.match(error.message, /FCV_MODE=sandbox/, 'and says how to run the sandbox on purpose');
  });

  for (const name of ['FCV_SITES', 'FCV_SECRET', 'PUBLIC_URL', 'REDIS_URL', 'REDIS_CLUSTER_NODES'] as const) {
    test(`${name} alone, without Restcomm, is not taken as the sandbox`, () => {
      const value = { ...PRODUCTION, REDIS_URL: 'redis://redis.internal:6379', REDIS_CLUSTER_NODES: '10.0.0.1:6379' }[name];
      const error = refusal({ [name]: value });
      assert.deepEqual(error.variables, RESTCOMM);
      assert.match(error.message, new RegExp(name));
    });
  }

  test('REDIS_CLUSTER_NODES selects a Redis Cluster by its nodes; with REDIS_URL too, the server names both', () => {
    const config = loadConfig({ ...PRODUCTION, REDIS_CLUSTER_NODES: ' 10.0.0.1:6379, redis-2.internal:7000,[::1]:6380 ' });
    assert.deepEqual(config.redisClusterNodes, ['10.0.0.1:6379', 'redis-2.internal:7000', '[::1]:6380']);
    assert.equal(config.redisUrl, undefined);
    const both = refusal({ ...PRODUCTION, REDIS_URL: 'redis://redis.internal:6379', REDIS_CLUSTER_NODES: '10.0.0.1:6379' });
    assert.deepEqual(both.variables, ['REDIS_URL', 'REDIS_CLUSTER_NODES']);
    assert.equal(refusal({ ...PRODUCTION, REDIS_CLUSTER_NODES: '10.0.0.1' }).variable, 'REDIS_CLUSTER_NODES');
    assert.equal(refusal({ ...PRODUCTION, REDIS_CLUSTER_NODES: ' , ' }).variable, 'REDIS_CLUSTER_NODES');
  });

  test('one Restcomm variable missing names that one', () => {
    assert.deepEqual(refusal({ ...PRODUCTION, RESTCOMM_ACCOUNT_SID: ' ' }).variables, ['RESTCOMM_ACCOUNT_SID']);
  });

  test('FCV_MODE=production names everything production still needs', () => {
    assert.deepEqual(refusal({ FCV_MODE: 'production' }).variables, [
      ...RESTCOMM,
      'PUBLIC_URL',
      'FCV_SECRET',
      'FCV_SITES',
      'FCV_CALLER_IDS',
    ]);
  });

  test('FCV_MODE=sandbox runs the sandbox with the settings given, and refuses Restcomm credentials', () => {
    const config = loadConfig({ FCV_MODE: 'sandbox', REDIS_URL: 'redis://localhost:6379', FCV_SECRET: PRODUCTION.FCV_SECRET });
    assert.equal(config.mode, 'sandbox');
    assert.equal(config.restcomm, null);
    assert.equal(refusal({ ...PRODUCTION, FCV_MODE: 'sandbox' }).variable, 'FCV_MODE');
  });

  test('the sandbox listens on loopback unless HOST says otherwise; production on every interface', () => {
    assert.equal(loadConfig({}).host, '127.0.0.1');
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).host, '0.0.0.0');
    assert.equal(loadConfig(PRODUCTION).host, undefined);
  });

  test('production refuses the sandbox site key and secret', () => {
    const site = { origins: ['https://shop.example'] };
    for (const sites of [
      [{ ...site, siteKey: 'pk_sandbox', secret: 'sk_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0' }],
      [{ ...site, siteKey: 'pk_live', secret: 'sk_sandbox' }],
    ]) {
      const error = refusal({ ...PRODUCTION, FCV_SITES: JSON.stringify(sites) });
      assert.equal(error.variable, 'FCV_SITES');
      assert.match(error.message, /sandbox/);
    }
  });
});

describe('weak configuration', () => {
  test('an FCV_SECRET that is plainly not random is refused', () => {
    for (const secret of [
      'x'.repeat(32),
      'abababababababababababababababab',
      'bench-secret-bench-secret-bench-secret',
      '01234567801234567801234567801234',
    ]) {
      const error = refusal({ ...PRODUCTION, FCV_SECRET: secret });
      assert.equal(error.variable, 'FCV_SECRET');
      assert.match(error.message, /not random/);
    }
  });

  test('every FCV_SECRET value shown in the README and docs is refused', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const texts = [
      join(root, 'README.md'),
      ...readdirSync(join(root, 'docs'))
        .filter((name) => name.endsWith('.md'))
        .map((name) => join(root, 'docs', name)),
    ].map((file) => readFileSync(file, 'utf8'));
    const shown = texts.flatMap((text) => [...text.matchAll(/FCV_SECRET[=:]\s*["'`]?([^\s"'`$(][^\s"'`]*)/g)].map((match) => match[1]!));
    assert.ok(shown.length > 0, 'the docs show an example value');
    for (const value of [...new Set([...shown, ...EXAMPLE_SECRETS])]) {
      assert.equal(refusal({ ...PRODUCTION, FCV_SECRET: value }).variable, 'FCV_SECRET', value);
    }
  });

  test('site secrets under 32 characters and plain-http URLs off this machine start, with a warning each', () => {
    const config = loadConfig({
      ...PRODUCTION,
      PUBLIC_URL: 'http://verify.example.com',
      RESTCOMM_BASE_URL: 'http://restcomm.internal:8080/restcomm',
      FCV_SITES: JSON.stringify([{ siteKey: 'pk_live', secret: 'sk_short1', origins: ['https://shop.example'] }]),
    });
    assert.deepEqual(config.warnings.map((warning) => warning.variable).sort(), ['FCV_SITES', 'PUBLIC_URL', 'RESTCOMM_BASE_URL']);
    assert.match(config.warnings.find((warning) => warning.variable === 'FCV_SITES')!.message, /pk_live.*9 characters/);
  });

  test('https, and plain http on loopback, start without warnings', () => {
    assert.deepEqual(loadConfig(PRODUCTION).warnings, []);
    for (const local of ['http://localhost:8080/restcomm', 'http://127.0.0.1:8080/restcomm', 'http://[::1]:8080/restcomm']) {
      assert.deepEqual(
        loadConfig({ ...PRODUCTION, RESTCOMM_BASE_URL: local, PUBLIC_URL: local.replace('/restcomm', '') }).warnings,
        [],
        local,
      );
    }
    assert.deepEqual(loadConfig({}).warnings, [], 'the sandbox is quiet');
  });
});

describe('the siteverify limit', () => {
  test('20 wrong secrets per 10 minutes by default, tunable', () => {
    assert.deepEqual(loadConfig({}).siteverifyLimit, { max: 20, windowSeconds: 600 });
    assert.deepEqual(loadConfig({ FCV_SITEVERIFY_LIMIT: '{"max":5,"windowSeconds":60}' }).siteverifyLimit, { max: 5, windowSeconds: 60 });
    failsNaming({ FCV_SITEVERIFY_LIMIT: '{"max":0,"windowSeconds":60}' }, 'FCV_SITEVERIFY_LIMIT');
  });
});
