import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseStatusCallback } from '../../server/restcomm/status.js';

const SID = 'ID8deb35fc5121429fa96635aebe3976d2-CA6d61e3877f3c47828a26efc498a9e8f9';

function callback(fields: Record<string, string>): Record<string, string> {
  return {
    AccountSid: 'ACae6e420f425248d6a26948c17a9e2acf',
    CallSid: SID,
    From: '+447418341234',
    To: '+15551234567',
    Direction: 'outbound-api',
    CallbackSource: 'call-progress-events',
    Timestamp: 'Tue, 15 Nov 1994 08:12:31 +0000',
    ...fields,
  };
}

describe('parseStatusCallback', () => {
  test("maps Restcomm's callback event names with their sequence numbers", () => {
    const events = ['initiated', 'ringing', 'answered', 'completed'].map((status, index) =>
      parseStatusCallback(callback({ CallStatus: status, SequenceNumber: String(index) })),
    );
    assert.deepEqual(events, [
      { sid: SID, progress: 'initiated', sequence: 0 },
      { sid: SID, progress: 'ringing', sequence: 1 },
      { sid: SID, progress: 'answered', sequence: 2 },
      { sid: SID, progress: 'completed', outcome: 'completed', sequence: 3 },
    ]);
  });

  test('reads CallDuration on completed', () => {
    assert.deepEqual(parseStatusCallback(callback({ CallStatus: 'completed', SequenceNumber: '3', CallDuration: '7' })), {
      sid: SID,
      progress: 'completed',
      outcome: 'completed',
      sequence: 3,
      durationSeconds: 7,
    });
  });

  const plain: Array<[string, string]> = [
    ['queued', 'initiated'],
    ['ringing', 'ringing'],
    ['in-progress', 'answered'],
    ['IN_PROGRESS', 'answered'],
    ['completed', 'completed'],
    ['failed', 'completed'],
    ['busy', 'completed'],
    ['BUSY', 'completed'],
    ['no-answer', 'completed'],
    ['NO_ANSWER', 'completed'],
    ['canceled', 'completed'],
    ['Ringing', 'ringing'],
    [' Completed ', 'completed'],
  ];
  for (const [status, progress] of plain) {
    test(`maps the call status ${JSON.stringify(status)} to ${progress}`, () => {
      const event = parseStatusCallback(callback({ CallStatus: status }));
      assert.equal(event?.progress, progress);
      // How a call ended is kept for the operator's counts, in the one spelling.
      if (progress === 'completed') assert.equal(event?.outcome, status.trim().toLowerCase().replaceAll('_', '-'));
      else assert.equal(event?.outcome, undefined);
    });
  }

  test('leaves sequence and duration out when absent or not whole numbers', () => {
    assert.deepEqual(parseStatusCallback(callback({ CallStatus: 'completed' })), { sid: SID, progress: 'completed', outcome: 'completed' });
    assert.deepEqual(parseStatusCallback(callback({ CallStatus: 'completed', SequenceNumber: '-1', CallDuration: '1.5' })), {
      sid: SID,
      progress: 'completed',
      outcome: 'completed',
    });
    assert.deepEqual(parseStatusCallback(callback({ CallStatus: 'ringing', SequenceNumber: 'one' })), {
      sid: SID,
      progress: 'ringing',
    });
  });

  test('returns null for anything that is not a call status callback', () => {
    assert.equal(parseStatusCallback(callback({ CallStatus: 'wait-for-answer' })), null);
    assert.equal(parseStatusCallback(callback({ CallStatus: '' })), null);
    assert.equal(parseStatusCallback(callback({})), null);
    assert.equal(parseStatusCallback({ CallStatus: 'ringing' }), null);
    assert.equal(parseStatusCallback(callback({ CallSid: '', CallStatus: 'ringing' })), null);
    assert.equal(parseStatusCallback(callback({ CallSid: 'CA<script>', CallStatus: 'ringing' })), null);
  });
});
