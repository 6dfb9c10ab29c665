import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createRestcommProvider } from '../../server/restcomm/driver.js';
import { TestClock } from '../support/clock.js';
import { startSandbox } from '../support/sandbox.js';

type Behaviour = (request: IncomingMessage, response: ServerResponse) => void;

/** A local stand-in for Restcomm that answers as told and counts what it was asked. */
class RestcommDouble {
  received = 0;
  behaviour: Behaviour = (_request, response) => response.end();
  readonly #server: Server = createServer((request, response) => {
    this.received++;
    request.resume();
    request.on('end', () => this.behaviour(request, response));
  });
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }
  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

const FAULTS: Record<string, Behaviour> = {
  '401 bad credentials': (_q, r) => r.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized SECRET-BODY'),
  '403 inactive account, empty body': (_q, r) => r.writeHead(403).end(),
  '400 plain text': (_q, r) => r.writeHead(400, { 'content-type': 'text/plain' }).end('To can not be null. SECRET-BODY'),
  '500 JSON': (_q, r) => r.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"SECRET-BODY"}'),
  '503 plain': (_q, r) => r.writeHead(503).end('SECRET-BODY'),
  '200 that is not JSON': (_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<html>SECRET-BODY</html>'),
  '200 JSON without a sid': (_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"queued"}'),
  'a hang past the timeout': () => {},
};

describe('provider faults through the real driver', () => {
  const double = new RestcommDouble();
  let base = '';
  before(async () => {
    base = await double.listen();
  });
  after(() => double.close());

  for (const [name, behaviour] of Object.entries(FAULTS)) {
    test(`${name}: 502 provider_unavailable, retryable, one request only, the operator told`, async () => {
      double.behaviour = behaviour;
      double.received = 0;
      const lines: string[] = [];
      const provider = createRestcommProvider({ baseUrl: base, accountSid: 'ACtest', authToken: 'token-xyz', timeoutMs: 300 });
      const sandbox = await startSandbox(
        {},
        { provider, log: (level, event, fields) => lines.push(JSON.stringify({ level, event, ...fields })) },
      );
      try {
        const answer = await sandbox.start();
        assert.equal(answer.status, 502);
        assert.equal(answer.body.code, 'provider_unavailable');
        assert.equal(answer.body.retryable, true);
        assert.ok(!JSON.stringify(answer.body).includes('SECRET-BODY'));
        assert.equal(double.received, 1, 'never a blind retry');
        const failure = lines.find((line) => line.includes('provider.call_failed'));
        assert.ok(failure, 'logged for the operator');
        if (name.startsWith('401') || name.startsWith('403')) assert.match(failure, /"level":"error"/);
        assert.ok(!lines.join('\n').includes('token-xyz'), 'the auth token is never logged');
      } finally {
        await sandbox.close(0);
      }
    });
  }

  test('connection refused: 502 provider_unavailable', async () => {
    const provider = createRestcommProvider({ baseUrl: 'http://127.0.0.1:9', accountSid: 'ACtest', authToken: 't', timeoutMs: 300 });
    const sandbox = await startSandbox({}, { provider });
    try {
      const answer = await sandbox.start();
      assert.equal(answer.status, 502);
      assert.equal(answer.body.code, 'provider_unavailable');
    } finally {
      await sandbox.close(0);
    }
  });

  test('after 5 failures in a row the circuit opens: answers at once, Restcomm is left alone, then probed', async () => {
    double.behaviour = FAULTS['503 plain']!;
    double.received = 0;
    const clock = new TestClock();
    const provider = createRestcommProvider({ baseUrl: base, accountSid: 'ACtest', authToken: 't', timeoutMs: 300 });
    const sandbox = await startSandbox({}, { provider, clock });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await sandbox.start({ phone: `+4474183012${40 + i}` })).status, 502);
      assert.equal(double.received, 5);
      const fast = await sandbox.start({ phone: '+447418301250' });
      assert.equal(fast.status, 502);
      assert.equal(double.received, 5, 'no request while the circuit is open');
      clock.advance(30_000);
      double.behaviour = (_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{"sid":"CA0123","status":"queued"}');
      const probe = await sandbox.start({ phone: '+447418301251' });
      assert.equal(probe.status, 201, 'the probe goes through and closes the circuit');
      assert.equal(double.received, 6);
      assert.equal((await sandbox.start({ phone: '+447418301252' })).status, 201);
    } finally {
      await sandbox.close(0);
    }
  });
});

describe('graceful shutdown', () => {
  test('a request in flight finishes, event streams end cleanly, new connections are refused', async () => {
    let release: () => void = () => {};
    const provider = {
      placeCall: () => new Promise<{ sid: string }>((resolve) => (release = () => resolve({ sid: 'CA42' }))),
      hangUp: async () => {},
    };
    const sandbox = await startSandbox({}, { provider });
    const url = sandbox.url;
    // A finished session's stream ends by itself; a live one is what shutdown must end.
    const live = await (async () => {
      const pending = sandbox.start({ phone: '+447418301260' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      return (await pending).body;
    })();
    const stream = await fetch(`${url}/v1/verifications/${live.id}/events`);
    const reader = stream.body!.getReader();
    await reader.read();

    const inFlight = sandbox.start({ phone: '+447418301261' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = sandbox.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    assert.equal((await inFlight).status, 201, 'the request in flight got its answer');
    let done = false;
    while (!done) ({ done } = await reader.read());
    await closing;
    await assert.rejects(fetch(`${url}/healthz`), 'the listener is closed');
  });
});
