import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { StoreUnavailableError } from '../../server/store/store.js';
import { MemoryStore } from '../../server/store/memory.js';
import { ProviderError } from '../../server/telephony/provider.js';
import type { Store } from '../../server/store/store.js';
import { ManualClock } from '../support/in-process.js';
import type { Answer, SandboxClient } from '../support/sandbox.js';
import { PAGE_ORIGIN, SANDBOX_PHONE, startSandbox, wrongCode } from '../support/sandbox.js';

/**
 * Every route of the published API, driven over HTTP against a real sandbox, and every answer checked against
 * the OpenAPI document the server itself serves: status documented, content type documented, body valid.
 */

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, DocResponse> };
};
type Operation = { operationId: string; responses: Record<string, DocResponse | { $ref: string }> };
type DocResponse = {
  description: string;
  content?: Record<string, { schema: unknown }>;
  headers?: Record<string, unknown>;
  'x-events'?: Record<string, unknown>;
};

let doc: Doc;
let ajv: Ajv2020;
const seen = new Set<string>();

/** `#/components/schemas/X` as a schema ajv can resolve: the components become one schema with `$defs`. */
function localRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(localRefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        key === '$ref' && typeof inner === 'string' ? inner.replace('#/components/schemas/', 'components#/$defs/') : localRefs(inner),
      ]),
    );
  }
  return value;
}

function validator(schema: unknown): ValidateFunction {
  return ajv.compile(localRefs(schema) as object);
}

function fallback(client: SandboxClient, id: string, body: unknown): Promise<Answer> {
  return client.request(`/v1/verifications/${id}/fallback`, { method: 'POST', headers: { origin: PAGE_ORIGIN }, json: body });
}

function documented(method: string, path: string, status: number): DocResponse {
  const operation = doc.paths[path]?.[method];
  assert.ok(operation, `${method.toUpperCase()} ${path} is not in the document`);
  let response = operation.responses[String(status)] ?? operation.responses.default;
  assert.ok(response, `${method.toUpperCase()} ${path} answered ${status}, which the document does not list`);
  if ('$ref' in response) response = doc.components.responses[response.$ref.split('/').pop()!]!;
  return response;
}

/** Checks one real answer against the document and notes the operation and status as covered. */
function conforms(method: string, path: string, answer: Answer, rawBody?: string): void {
  const response = documented(method, path, answer.status);
  seen.add(`${method} ${path} ${answer.status}`);
  const type = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const content = response.content ?? {};
  if (Object.keys(content).length === 0) return;
  assert.ok(content[type], `${method.toUpperCase()} ${path} ${answer.status} answered ${type}; documented: ${Object.keys(content)}`);
  for (const header of Object.keys(response.headers ?? {})) {
    assert.ok(answer.headers.has(header), `${method.toUpperCase()} ${path} ${answer.status} lacks the documented ${header}`);
  }
  if (type === 'text/event-stream') {
    const events = parseEvents(rawBody ?? '');
    assert.ok(events.length > 0, 'the stream sent no event');
    for (const event of events) {
      const schema = response['x-events']?.[event.event];
      assert.ok(schema, `undocumented event ${event.event}`);
      const validate = validator(schema);
      assert.ok(validate(JSON.parse(event.data)), `event ${event.event}: ${ajv.errorsText(validate.errors)}\n${event.data}`);
    }
    return;
  }
  const validate = validator(content[type].schema);
  assert.ok(
    validate(answer.body),
    `${method.toUpperCase()} ${path} ${answer.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(answer.body)}`,
  );
}

function parseEvents(text: string): Array<{ event: string; data: string }> {
  return text
    .split('\n\n')
    .map((block) => {
      const lines = block.split('\n').filter((line) => line && !line.startsWith(':'));
      const field = (name: string) =>
        lines
          .filter((line) => line.startsWith(`${name}:`))
          .map((line) => line.slice(name.length + 1).replace(/^ /, ''))
          .join('\n');
      return { event: field('event') || 'message', data: field('data') };
    })
    .filter((event) => event.data);
}

/** The whole event stream of a verification, which ends on its own after a final status. */
async function readStream(client: SandboxClient, id: string, during?: () => Promise<void>): Promise<{ answer: Answer; text: string }> {
  const response = await fetch(`${client.url}/v1/verifications/${id}/events`, { headers: { origin: PAGE_ORIGIN } });
  const reading = response.text();
  await during?.();
  const text = await reading;
  return { answer: { status: response.status, headers: response.headers, body: text }, text };
}

const json = (body: unknown) => ({
  method: 'POST',
  headers: { origin: PAGE_ORIGIN, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('the OpenAPI document', () => {
  let sandbox: SandboxClient;

  before(async () => {
    sandbox = await startSandbox();
    const served = await sandbox.request('/openapi.json');
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('access-control-allow-origin'), '*');
    doc = served.body as Doc;
    ajv = new Ajv2020({ strict: true, allErrors: true });
    ajv.addFormat(
      'date-time',
      (value: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value) && !Number.isNaN(Date.parse(value)),
    );
    ajv.addSchema(localRefs({ $id: 'components', $defs: doc.components.schemas }) as object);
  });
  after(() => sandbox.close());

  test('is OpenAPI 3.1 and every schema in it compiles', () => {
    assert.equal(doc.openapi, '3.1.0');
    for (const name of Object.keys(doc.components.schemas)) assert.ok(ajv.getSchema(`components#/$defs/${name}`), name);
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const status of Object.keys(operation.responses)) {
          const response = documented(method, path, Number(status));
          for (const media of Object.values(response.content ?? {})) validator(media.schema);
        }
      }
    }
  });

  test('lists every /v1 route the app serves, and nothing it does not', () => {
    const served = new Set(
      sandbox.server.app.routes
        .filter((route) => route.path.startsWith('/v1') && !['ALL', 'OPTIONS'].includes(route.method))
        .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '')}`),
    );
    const described = new Set(
      Object.entries(doc.paths)
        .filter(([path]) => path.startsWith('/v1'))
        .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`)),
    );
    assert.deepEqual([...described].sort(), [...served].sort());
  });

  test('a whole verification: start, status, events, wrong and right code, siteverify', async () => {
    const started = await sandbox.start();
    conforms('post', '/v1/verifications', started);
    assert.equal(started.status, 201);
    const id = started.body.id as string;

    conforms('get', '/v1/verifications/{id}', await sandbox.request(`/v1/verifications/${id}`, { headers: { origin: PAGE_ORIGIN } }));

    const code = await sandbox.codeFor(SANDBOX_PHONE, started.body.codeLength);
    let token = '';
    const stream = await readStream(sandbox, id, async () => {
      const wrong = await sandbox.check(id, wrongCode(code));
      conforms('post', '/v1/verifications/{id}/check', wrong);
      assert.equal(wrong.status, 422);
      const right = await sandbox.check(id, code);
      conforms('post', '/v1/verifications/{id}/check', right);
      assert.equal(right.status, 200);
      token = right.body.token;
    });
    conforms('get', '/v1/verifications/{id}/events', stream.answer, stream.text);
    assert.match(stream.text, /"status":"verified"/);

    conforms('post', '/v1/verifications/{id}/check', await sandbox.check(id, code)); // 409 already_verified
    conforms('post', '/v1/verifications/{id}/fallback', await fallback(sandbox, id, { channel: 'sms' })); // 409 already_verified

    const redeemed = await sandbox.siteverify(token);
    conforms('post', '/v1/siteverify', redeemed);
    assert.equal(redeemed.body.success, true);
    const again = await sandbox.request('/v1/siteverify', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ secret: 'sk_sandbox', token }).toString(),
    });
    conforms('post', '/v1/siteverify', again);
    assert.deepEqual(again.body, { success: false, 'error-codes': ['timeout-or-duplicate'] });
    conforms('post', '/v1/siteverify', await sandbox.request('/v1/siteverify', json({ token })));
    const huge = await sandbox.request('/v1/siteverify', json({ secret: 'sk_sandbox', token: 'x'.repeat(20_000) }));
    assert.equal(huge.status, 413);
    conforms('post', '/v1/siteverify', huge);
  });

  test('a fallback to each channel, then its refusals', async () => {
    const started = await sandbox.start({ phone: '+447418301290' });
    const id = started.body.id as string;
    const fallback = (body: unknown, origin = PAGE_ORIGIN) =>
      sandbox.request(`/v1/verifications/${id}/fallback`, { method: 'POST', headers: { origin }, json: body });
    for (const channel of ['voice', 'sms']) {
      const sent = await fallback({ channel });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      assert.equal(sent.body.channel, channel);
      conforms('post', '/v1/verifications/{id}/fallback', sent);
    }
    conforms('post', '/v1/verifications/{id}/fallback', await fallback({ channel: 'flash' })); // 400
    conforms('post', '/v1/verifications/{id}/fallback', await fallback({ channel: 'sms' }, 'https://evil.example')); // 403
    const unknown = await sandbox.request(`/v1/verifications/${'a'.repeat(22)}/fallback`, {
      method: 'POST',
      headers: { origin: PAGE_ORIGIN },
      json: { channel: 'sms' },
    });
    assert.equal(unknown.status, 404);
    conforms('post', '/v1/verifications/{id}/fallback', unknown);
    conforms('post', '/v1/verifications/{id}/fallback', await fallback({ channel: 'sms', pad: 'x'.repeat(20_000) })); // 413
    const plain = await sandbox.request(`/v1/verifications/${id}/fallback`, {
      method: 'POST',
      headers: { origin: PAGE_ORIGIN, 'content-type': 'text/plain' },
      body: 'sms',
    });
    assert.equal(plain.status, 415);
    conforms('post', '/v1/verifications/{id}/fallback', plain);
  });

  test('refusals of a start', async () => {
    const cases: Array<[RequestInit, number]> = [
      [json({ siteKey: 'pk_sandbox' }), 400],
      [json({ siteKey: 'pk_nobody', phone: SANDBOX_PHONE }), 400],
      [
        {
          ...json({ siteKey: 'pk_sandbox', phone: SANDBOX_PHONE }),
          headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
        },
        403,
      ],
      [json({ siteKey: 'pk_sandbox', phone: 'x'.repeat(20_000) }), 413],
      [{ method: 'POST', headers: { origin: PAGE_ORIGIN, 'content-type': 'text/plain' }, body: 'hello' }, 415],
      [json({ siteKey: 'pk_sandbox', phone: 'not a number' }), 422],
      [json({ siteKey: 'pk_sandbox', phone: '+448001234567' }), 422],
    ];
    for (const [init, status] of cases) {
      const answer = await sandbox.request('/v1/verifications', init);
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      conforms('post', '/v1/verifications', answer);
    }
  });

  test('refusals of a status, a stream and a check', async () => {
    const unknown = 'a'.repeat(22);
    conforms('get', '/v1/verifications/{id}', await sandbox.request(`/v1/verifications/${unknown}`));
    const stream = await sandbox.request(`/v1/verifications/${unknown}/events`);
    assert.equal(stream.status, 404);
    conforms('get', '/v1/verifications/{id}/events', stream);

    const started = await sandbox.start({ phone: '+447418301235' });
    const id = started.body.id as string;
    conforms(
      'get',
      '/v1/verifications/{id}',
      await sandbox.request(`/v1/verifications/${id}`, { headers: { origin: 'https://evil.example' } }),
    );
    conforms(
      'get',
      '/v1/verifications/{id}/events',
      await sandbox.request(`/v1/verifications/${id}/events`, { headers: { origin: 'https://evil.example' } }),
    );
    const check = (body: unknown) => sandbox.request(`/v1/verifications/${id}/check`, json(body));
    conforms('post', '/v1/verifications/{id}/check', await check({ code: 'abc' })); // 400
    conforms('post', '/v1/verifications/{id}/check', await sandbox.check(unknown, '1234')); // 404
    conforms('post', '/v1/verifications/{id}/check', await sandbox.check(id, '1234', 'https://evil.example')); // 403
    conforms('post', '/v1/verifications/{id}/check', await check({ code: '1'.repeat(20_000) })); // 413
    conforms(
      'post',
      '/v1/verifications/{id}/check',
      await sandbox.request(`/v1/verifications/${id}/check`, {
        method: 'POST',
        headers: { origin: PAGE_ORIGIN, 'content-type': 'text/plain' },
        body: '1',
      }),
    ); // 415
    const code = await sandbox.codeFor('+447418301235', started.body.codeLength);
    for (let i = 0; i < 3; i++) conforms('post', '/v1/verifications/{id}/check', await sandbox.check(id, wrongCode(code)));
    const locked = await sandbox.check(id, code);
    assert.equal(locked.status, 423);
    conforms('post', '/v1/verifications/{id}/check', locked);
    const noFallback = await fallback(sandbox, id, { channel: 'voice' });
    assert.equal(noFallback.status, 423);
    conforms('post', '/v1/verifications/{id}/fallback', noFallback);
    // A finished session's stream sends its final status and ends.
    const ended = await readStream(sandbox, id);
    conforms('get', '/v1/verifications/{id}/events', ended.answer, ended.text);
  });

  test('a challenge: create, start from it, verify, redeem, and the refusals on the way', async () => {
    const clock = new ManualClock(Date.now());
    const sites = JSON.stringify([
      { siteKey: 'pk_sandbox', secret: 'sk_sandbox', origins: ['http://localhost:*'] },
      { siteKey: 'pk_strict', secret: 'sk_strict_secret', origins: ['http://localhost:*'], requireChallenge: true },
    ]);
    const bank = await startSandbox({ FCV_SITES: sites, FCV_SITEVERIFY_LIMIT: '{"max":1,"windowSeconds":60}' }, { clock });
    try {
      const create = (body: Record<string, unknown>) =>
        bank.request('/v1/challenges', json({ secret: 'sk_sandbox', phone: SANDBOX_PHONE, action: 'payment', ...body }));
      const created = await create({ context: 'pay_1' });
      assert.equal(created.status, 201);
      conforms('post', '/v1/challenges', created);
      const { challenge } = created.body as { challenge: string };
      for (const [answer, status] of [
        [await create({ action: 'two words' }), 400],
        [await create({ siteKey: 'pk_nobody' }), 400],
        [await create({ secret: 'sk_wrong_1' }), 401],
        [await create({ secret: 'sk_wrong_2' }), 429],
        [await create({ context: 'x'.repeat(20_000) }), 413],
        [await bank.request('/v1/challenges', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }), 415],
        [await create({ phone: '+448001234567' }), 422],
      ] as const) {
        assert.equal(answer.status, status, JSON.stringify(answer.body));
        conforms('post', '/v1/challenges', answer);
      }

      const start = (body: Record<string, unknown>) => bank.request('/v1/verifications', json({ siteKey: 'pk_sandbox', ...body }));
      const withPhone = await start({ challenge, phone: SANDBOX_PHONE });
      assert.equal(withPhone.body.code, 'challenge_with_phone');
      conforms('post', '/v1/verifications', withPhone);
      const forged = await start({ challenge: challenge.slice(0, -4) + 'AAAA' });
      assert.equal(forged.body.code, 'invalid_challenge');
      conforms('post', '/v1/verifications', forged);
      const typed = await bank.request('/v1/verifications', json({ siteKey: 'pk_strict', phone: SANDBOX_PHONE }));
      assert.equal(typed.body.code, 'challenge_required');
      conforms('post', '/v1/verifications', typed);

      const started = await start({ challenge });
      assert.equal(started.status, 201);
      conforms('post', '/v1/verifications', started);
      const second = await start({ challenge });
      const code = await bank.codeFor(SANDBOX_PHONE, 4);
      const right = await bank.check(second.body.id, code);
      conforms('post', '/v1/verifications/{id}/check', right);
      const calls = (await bank.request('/sandbox/calls')).body as Array<{ to: string; from: string }>;
      const codes = calls.filter((call) => call.to === SANDBOX_PHONE).map((call) => call.from.slice(-4));
      const firstCode = codes.find((each) => each !== code) ?? code;
      const spentCheck = await bank.check(started.body.id, firstCode);
      assert.equal(spentCheck.body.code, 'challenge_spent', 'the other session verified first');
      conforms('post', '/v1/verifications/{id}/check', spentCheck);
      const spent = await start({ challenge });
      assert.equal(spent.body.code, 'challenge_spent');
      conforms('post', '/v1/verifications', spent);
      const redeemed = await bank.siteverify(right.body.token);
      conforms('post', '/v1/siteverify', redeemed);
      assert.deepEqual([redeemed.body.action, redeemed.body.context], ['payment', 'pay_1']);

      const later = (await create({})).body.challenge;
      clock.advance(10 * 60_000);
      const expired = await start({ challenge: later });
      assert.equal(expired.body.code, 'challenge_expired');
      conforms('post', '/v1/verifications', expired);
    } finally {
      await bank.close();
    }
  });

  test('health', async () => {
    conforms('get', '/healthz', await sandbox.request('/healthz'));
  });

  test('a limit, an expiry, a provider outage and a store outage', async () => {
    const clock = new ManualClock(Date.now());
    const limited = await startSandbox({ FCV_RESEND_SECONDS: '30' }, { clock });
    try {
      const first = await limited.start();
      await limited.start().then((answer) => {
        assert.equal(answer.status, 429);
        conforms('post', '/v1/verifications', answer);
      });
      const tooSoon = await fallback(limited, first.body.id, { channel: 'sms' });
      assert.equal(tooSoon.status, 429);
      assert.equal(tooSoon.body.limit, 'resend');
      conforms('post', '/v1/verifications/{id}/fallback', tooSoon);
      const scanned = await startSandbox({ FCV_SITEVERIFY_LIMIT: '{"max":1,"windowSeconds":60}' });
      try {
        const token = 'fcvt_' + 'a'.repeat(30);
        conforms('post', '/v1/siteverify', await scanned.siteverify(token, 'sk_wrong_1'));
        const over = await scanned.siteverify(token, 'sk_wrong_2');
        assert.equal(over.status, 429);
        assert.equal(over.body.limit, 'siteverify');
        conforms('post', '/v1/siteverify', over);
      } finally {
        await scanned.close();
      }
      clock.advance(301_000);
      const expired = await limited.check(first.body.id, '1234');
      assert.equal(expired.status, 410);
      conforms('post', '/v1/verifications/{id}/check', expired);
      const late = await fallback(limited, first.body.id, { channel: 'sms' });
      assert.equal(late.status, 410);
      conforms('post', '/v1/verifications/{id}/fallback', late);
      conforms('get', '/v1/verifications/{id}', await limited.request(`/v1/verifications/${first.body.id}`));
    } finally {
      await limited.close();
    }

    const down = await startSandbox(
      {},
      {
        provider: {
          placeCall: async () => {
            throw new ProviderError('unreachable', 'network');
          },
          hangUp: async () => {},
        },
      },
    );
    try {
      const answer = await down.start();
      assert.equal(answer.status, 502);
      conforms('post', '/v1/verifications', answer);
    } finally {
      await down.close();
    }
    const noVoice = await startSandbox(
      {},
      {
        provider: {
          placeCall: async (request) => {
            if (request.from === '+447418310000') throw new ProviderError('unreachable', 'network');
            return { sid: 'CA0123456789abcdef0123456789abcdef' };
          },
          hangUp: async () => {},
        },
      },
    );
    try {
      const started = await noVoice.start();
      const answer = await fallback(noVoice, started.body.id, { channel: 'voice' });
      assert.equal(answer.status, 502);
      conforms('post', '/v1/verifications/{id}/fallback', answer);
    } finally {
      await noVoice.close();
    }

    const memory = new MemoryStore();
    let broken = false;
    const store = new Proxy(memory, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (broken && key !== 'close' && key !== 'subscribe') return Promise.reject(new StoreUnavailableError('down'));
          return value.apply(target, args);
        };
      },
    }) as Store;
    const outage = await startSandbox({}, { store });
    try {
      const started = await outage.start();
      broken = true;
      const id = started.body.id as string;
      for (const [method, path, answer] of [
        ['post', '/v1/verifications', await outage.start()],
        ['get', '/v1/verifications/{id}', await outage.request(`/v1/verifications/${id}`)],
        ['get', '/v1/verifications/{id}/events', await outage.request(`/v1/verifications/${id}/events`)],
        ['post', '/v1/verifications/{id}/check', await outage.check(id, '1234')],
        ['post', '/v1/verifications/{id}/fallback', await fallback(outage, id, { channel: 'sms' })],
        ['post', '/v1/siteverify', await outage.siteverify('fcvt_' + 'a'.repeat(30))],
        [
          'post',
          '/v1/challenges',
          await outage.request('/v1/challenges', json({ secret: 'sk_wrong', phone: SANDBOX_PHONE, action: 'login' })),
        ],
        ['get', '/healthz', await outage.request('/healthz')],
      ] as const) {
        assert.equal(answer.status, 503, `${method} ${path}`);
        conforms(method, path, answer);
      }
    } finally {
      broken = false;
      await outage.close();
      await memory.close();
    }
  });

  test('every documented operation was exercised, with each success status', (t) => {
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const success = Object.keys(operation.responses).filter((status) => status.startsWith('2'));
        for (const status of success) assert.ok(seen.has(`${method} ${path} ${status}`), `${method} ${path} ${status} never checked`);
      }
    }
    // Not every documented failure needs a test here, but most do: a new one should come with one.
    const documentedCount = Object.values(doc.paths).flatMap((ops) => Object.values(ops).flatMap((op) => Object.keys(op.responses))).length;
    const all = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).flatMap(([method, op]) => Object.keys(op.responses).map((status) => `${method} ${path} ${status}`)),
    );
    const unseen = all.filter((key) => !seen.has(key));
    if (unseen.length) t.diagnostic(`documented but not driven: ${unseen.join('; ')}`);
    assert.ok(
      seen.size >= documentedCount - 2,
      `only ${seen.size} of ${documentedCount} documented answers were seen: ${[...seen].join(', ')}`,
    );
  });
});
