import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../server/config.js';
import { originAllowed, originMatches } from '../../server/verification/origins.js';
import { inProcessApp } from '../support/in-process.js';

/** Every form of origin pattern the README documents, with origins it must and must not admit. */
const FORMS: Record<string, { admits: string[]; refuses: string[] }> = {
  'https://shop.example': {
    admits: ['https://shop.example', 'HTTPS://SHOP.EXAMPLE'],
    refuses: [
      'http://shop.example',
      'https://shop.example:8443',
      'https://www.shop.example',
      'https://shop.example.evil.example',
      'https://shopXexample',
    ],
  },
  'http://localhost:*': {
    admits: ['http://localhost', 'http://localhost:5173', 'http://localhost:8787'],
    refuses: [
      'https://localhost:5173',
      'http://localhost.evil.example',
      'http://localhost.evil.example:80',
      'http://127.0.0.1:5173',
      'http://localhost:',
    ],
  },
  'https://*.shop.example': {
    admits: ['https://www.shop.example', 'https://eu.www.shop.example', 'https://a-1.shop.example'],
    refuses: [
      'https://shop.example',
      'https://evilshop.example',
      'https://www.shop.example.evil.example',
      'http://www.shop.example',
      'https://www.shop.example:8443',
      'https://.shop.example',
      'https://-x.shop.example',
    ],
  },
  'http://127.0.0.1:*': {
    admits: ['http://127.0.0.1', 'http://127.0.0.1:3000'],
    refuses: ['http://127.0.0.10:3000', 'http://127.0.0.1.evil.example'],
  },
  'http://[::1]:*': {
    admits: ['http://[::1]', 'http://[::1]:3000'],
    refuses: ['http://[::2]:3000'],
  },
  'https://*.shop.example:8443': {
    admits: ['https://www.shop.example:8443'],
    refuses: ['https://www.shop.example', 'https://shop.example:8443'],
  },
};

describe('origin patterns', () => {
  for (const [pattern, { admits, refuses }] of Object.entries(FORMS)) {
    test(pattern, () => {
      for (const origin of admits) assert.ok(originMatches(pattern, origin), `${pattern} admits ${origin}`);
      for (const origin of refuses) assert.ok(!originMatches(pattern, origin), `${pattern} refuses ${origin}`);
    });
  }

  test('every origin pattern the README and the docs show is one of the tested forms and is accepted', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const text = [
      'README.md',
      ...readdirSync(root + 'docs')
        .filter((name) => name.endsWith('.md'))
        .map((name) => `docs/${name}`),
    ]
      .map((file) => readFileSync(root + file, 'utf8'))
      .join('\n');
    const shown = new Set([...text.matchAll(/`(https?:\/\/[^`\s]*\*[^`\s]*)`/g)].map((match) => match[1]!));
    assert.ok(shown.size >= 2, [...shown].join(' '));
    for (const pattern of shown) {
      assert.ok(pattern in FORMS, `${pattern} is documented but not tested here`);
      const config = loadConfig({
        FCV_MODE: 'sandbox',
        FCV_SITES: JSON.stringify([{ siteKey: 'pk', secret: 'sk_0123456789', origins: [pattern] }]),
      });
      assert.ok(originAllowed(config.sites[0]!.origins, FORMS[pattern]!.admits[0]));
    }
  });

  test('a site configured with a subdomain wildcard serves its subdomains, CORS included', async () => {
    const t = inProcessApp({
      FCV_SITES: JSON.stringify([{ siteKey: 'pk_shop', secret: 'sk_shop_0123456789', origins: ['https://*.shop.example'] }]),
    });
    const start = (origin: string) => t.call('POST', '/v1/verifications', { siteKey: 'pk_shop', phone: '+447418301234' }, { origin });
    const preflight = await t.app.request('/v1/verifications', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://www.shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://www.shop.example');
    assert.equal((await start('https://www.shop.example')).status, 201);
    assert.equal((await start('https://shop.example')).status, 403, 'the apex is not a subdomain');
    assert.equal((await start('https://www.shop.example.evil.example')).status, 403);
  });

  test('patterns of any other shape are refused at start', () => {
    for (const pattern of [
      'https://shop.*',
      'https://*',
      '*://shop.example',
      'https://www.*.example',
      'https://shop.example/',
      'https://shop.example:*:*',
      'ftp://shop.example',
    ]) {
      assert.throws(
        () =>
          loadConfig({ FCV_MODE: 'sandbox', FCV_SITES: JSON.stringify([{ siteKey: 'pk', secret: 'sk_0123456789', origins: [pattern] }]) }),
        /FCV_SITES/,
        pattern,
      );
    }
  });
});
