/** Request bodies as they arrive over a real socket: they must read the same, however they are cut and encoded. */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../../server/serve.js';
import type { PlaceCallRequest, TelephonyProvider } from '../../server/telephony/provider.js';

const ORIGIN = 'http://localhost:5173';
let server: RunningServer;
let calls = 0;
const provider: TelephonyProvider = {
  async placeCall(_request: PlaceCallRequest) {
    return { sid: `CA${(++calls).toString(16).padStart(32, '0')}` };
  },
  async hangUp() {},
};

/** Sends `head` and then each part of the body as a write of its own, a few milliseconds apart; resolves with the answer. */
function send(head: string, parts: Buffer[]): Promise<{ status: number; body: Record<string, unknown> }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(head);
      parts.forEach((part, i) => setTimeout(() => socket.write(part), 5 * (i + 1)));
    });
    let text = '';
    socket.on('data', (data) => {
      text += data.toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text);
      if (end < 0 || !length || text.length < end + 4 + Number(length[1])) return;
      socket.destroy();
      resolve({ status: Number(text.split(' ')[1]), body: JSON.parse(text.slice(end + 4)) as Record<string, unknown> });
    });
    socket.on('error', reject);
  });
}

function post(path: string, body: Buffer, parts = 1, headers: Record<string, string> = {}) {
  const size = Math.ceil(body.length / parts);
  const cut = Array.from({ length: parts }, (_, i) => body.subarray(i * size, (i + 1) * size));
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: ${new URL(server.url).host}`,
    `Origin: ${ORIGIN}`,
    'Content-Type: application/json',
    `Content-Length: ${body.length}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  return send(head, cut);
}

describe('request bodies over a socket', () => {
  before(async () => {
    server = await startServer({ env: { PORT: '0', HOST: '127.0.0.1', FCV_RESEND_SECONDS: '0' }, provider });
  });
  after(() => server.close(0));

  test('a body that arrives in several pieces is read whole', async () => {
    const body = Buffer.from(JSON.stringify({ siteKey: 'pk_sandbox', phone: '+447400123401' }));
    const answer = await post('/v1/verifications', body, 4);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.phone, '+447400123401');
  });

  test('a multi-byte character cut between two pieces, and a byte order mark, read as the text they are', async () => {
    // "ü" is two bytes in UTF-8 and the cut falls between them. With it, the language is exactly the 35 characters
    // the schema allows; decoded piece by piece it would be two replacement characters, 36, and refused.
    const lang = `${'x'.repeat(34)}ü`;
    const json = JSON.stringify({ siteKey: 'pk_sandbox', phone: '+447400123402', lang });
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]);
    const cutAt = body.indexOf(Buffer.from('ü')) + 1;
    const head = [
      'POST /v1/verifications HTTP/1.1',
      `Host: ${new URL(server.url).host}`,
      `Origin: ${ORIGIN}`,
      'Content-Type: application/json',
      `Content-Length: ${body.length}`,
      '',
      '',
    ].join('\r\n');
    const answer = await send(head, [body.subarray(0, cutAt), body.subarray(cutAt)]);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
  });

  test('a chunked body is read too', async () => {
    const json = JSON.stringify({ siteKey: 'pk_sandbox', phone: '+447400123403' });
    const half = Math.floor(json.length / 2);
    const chunk = (text: string) => Buffer.from(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
    const head = [
      'POST /v1/verifications HTTP/1.1',
      `Host: ${new URL(server.url).host}`,
      `Origin: ${ORIGIN}`,
      'Content-Type: application/json',
      'Transfer-Encoding: chunked',
      '',
      '',
    ].join('\r\n');
    const answer = await send(head, [chunk(json.slice(0, half)), chunk(json.slice(half)), Buffer.from('0\r\n\r\n')]);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
  });

  test('a body that is not JSON is still a problem that says so', async () => {
    const answer = await post('/v1/verifications', Buffer.from('{"siteKey": '), 2);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.code, 'invalid_request');
  });
});
