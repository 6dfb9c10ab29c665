import { expect } from '@open-wc/testing';
import type { SessionView, StartRequest } from '../../widget/flow/api.js';
import { initialState, transition, type FlowState } from '../../widget/flow/machine.js';

const request: StartRequest = { siteKey: 'pk', phone: '+447400123456', country: 'GB' };
const now = Date.parse('2030-01-01T00:00:00Z');
const view = (over: Partial<SessionView> = {}): SessionView => ({
  id: 'abcdefghijklmnopqrst',
  status: 'calling',
  phone: '+447400123456',
  channel: 'flash',
  channels: ['flash', 'voice', 'sms'],
  codeLength: 4,
  callerIdPrefix: '+4474183',
  expiresAt: new Date(now + 300_000).toISOString(),
  resendAt: new Date(now + 30_000).toISOString(),
  attemptsLeft: 3,
  ...over,
});
const run = (state: FlowState, ...events: Parameters<typeof transition>[1][]) => events.reduce(transition, state);

describe('flow state machine', () => {
  it('goes idle -> starting -> calling -> ringing -> checking -> verified', () => {
    const names = [];
    let s = initialState;
    for (const e of [
      { type: 'submit', request },
      { type: 'started', view: view() },
      { type: 'status', view: view({ status: 'ringing' }) },
      { type: 'check', code: '1234' },
      { type: 'checked', token: 'tok', phone: '+447400123456' },
    ] as const) {
      s = transition(s, e);
      names.push(s.name);
    }
    expect(names).to.deep.equal(['starting', 'calling', 'ringing', 'checking', 'verified']);
    expect(s).to.include({ token: 'tok' });
  });

  it('keeps the code entry in "ringing" once the call was answered or ended', () => {
    const s = run(
      initialState,
      { type: 'submit', request },
      { type: 'started', view: view() },
      { type: 'status', view: view({ status: 'call-ended' }) },
    );
    expect(s.name).to.equal('ringing');
  });

  it('returns to code entry with attempts left after a wrong code, and locks on the last one', () => {
    const ringing = run(initialState, { type: 'submit', request }, { type: 'started', view: view({ status: 'ringing' }) });
    const wrong = run(ringing, { type: 'check', code: '0000' }, { type: 'wrong-code', attemptsLeft: 2, locked: false });
    expect(wrong).to.deep.include({ name: 'ringing', wrongCode: true });
    expect(wrong.name === 'ringing' && wrong.session.attemptsLeft).to.equal(2);
    expect(run(wrong, { type: 'check', code: '0000' }, { type: 'wrong-code', attemptsLeft: 0, locked: true }).name).to.equal('locked');
  });

  it('puts number problems from the server next to the number field, other failures in the error state', () => {
    const starting = transition(initialState, { type: 'submit', request });
    expect(transition(starting, { type: 'failed', error: { code: 'invalid_phone', retryable: false } })).to.deep.equal({
      name: 'idle',
      fieldError: 'invalid_phone',
    });
    expect(transition(starting, { type: 'failed', error: { code: 'provider_unavailable', retryable: true } }).name).to.equal('error');
  });

  it('does not retry before a rate limit lifts, then starts again', () => {
    const error = run(
      initialState,
      { type: 'submit', request },
      { type: 'failed', error: { code: 'rate_limited', retryable: true, retryAt: now + 5000 } },
    );
    expect(transition(error, { type: 'retry', now })).to.equal(error);
    expect(transition(error, { type: 'retry', now: now + 5000 }).name).to.equal('starting');
  });

  it('refuses a retry of a non-retryable error', () => {
    const error = run(initialState, { type: 'submit', request }, { type: 'failed', error: { code: 'unknown_site', retryable: false } });
    expect(transition(error, { type: 'retry', now: now + 1e9 })).to.equal(error);
  });

  it('allows a new call only after resendAt', () => {
    const calling = run(initialState, { type: 'submit', request }, { type: 'started', view: view() });
    expect(transition(calling, { type: 'resend', now: now + 29_999 })).to.equal(calling);
    expect(transition(calling, { type: 'resend', now: now + 30_000 }).name).to.equal('starting');
  });

  it('maps terminal server statuses and an expired or vanished session on check', () => {
    const calling = run(initialState, { type: 'submit', request }, { type: 'started', view: view() });
    expect(transition(calling, { type: 'status', view: view({ status: 'expired' }) }).name).to.equal('expired');
    expect(transition(calling, { type: 'status', view: view({ status: 'locked' }) }).name).to.equal('locked');
    expect(transition(calling, { type: 'status', view: view({ status: 'failed' }) })).to.deep.include({ name: 'error' });
    expect(transition(calling, { type: 'expire' }).name).to.equal('expired');
    const checking = transition(calling, { type: 'check', code: '1234' });
    expect(transition(checking, { type: 'failed', error: { code: 'expired', retryable: false } }).name).to.equal('expired');
    expect(transition(checking, { type: 'failed', error: { code: 'too_many_attempts', retryable: false } }).name).to.equal('locked');
  });

  it('ignores status for another session and a verified status racing the check', () => {
    const calling = run(initialState, { type: 'submit', request }, { type: 'started', view: view() });
    expect(transition(calling, { type: 'status', view: view({ id: 'zzzzzzzzzzzzzzzzzzzz', status: 'ringing' }) })).to.equal(calling);
    expect(transition(calling, { type: 'status', view: view({ status: 'verified' }) })).to.equal(calling);
  });

  it('resets from any state', () => {
    const verified: FlowState = { name: 'verified', token: 't', phone: '+1' };
    expect(transition(verified, { type: 'reset' })).to.equal(initialState);
    expect(transition(verified, { type: 'check', code: '1' })).to.equal(verified);
  });

  it('offers the other channels once the call rang out, or when asked, and hides them when asked', () => {
    const calling = run(initialState, { type: 'submit', request }, { type: 'started', view: view() });
    expect(calling).to.deep.include({ offer: false });
    expect(transition(calling, { type: 'status', view: view({ status: 'call-ended' }) })).to.deep.include({ offer: true });
    const asked = transition(calling, { type: 'offer', open: true });
    expect(asked).to.deep.include({ name: 'calling', offer: true });
    expect(transition(asked, { type: 'status', view: view({ status: 'ringing' }) })).to.deep.include({ offer: true });
    expect(transition(asked, { type: 'offer', open: false })).to.deep.include({ offer: false });
  });

  it('switches channel on the same session once the cooldown is over, and only to one the site lists', () => {
    const ringing = run(initialState, { type: 'submit', request }, { type: 'started', view: view({ status: 'ringing' }) });
    expect(transition(ringing, { type: 'fallback', channel: 'sms', now: now + 29_000 })).to.equal(ringing);
    const onlySms = run(initialState, { type: 'submit', request }, { type: 'started', view: view({ channels: ['flash', 'sms'] }) });
    expect(transition(onlySms, { type: 'fallback', channel: 'voice', now: now + 31_000 })).to.equal(onlySms);
    const switching = transition(ringing, { type: 'fallback', channel: 'sms', now: now + 30_000 });
    expect(switching).to.deep.include({ name: 'switching', channel: 'sms' });
    const texted = transition(switching, {
      type: 'switched',
      view: view({
        status: 'sent',
        channel: 'sms',
        codeLength: 6,
        callerIdPrefix: undefined,
        resendAt: new Date(now + 60_000).toISOString(),
      }),
    });
    expect(texted.name).to.equal('ringing');
    expect(texted.name === 'ringing' && texted.session).to.deep.include({ channel: 'sms', codeLength: 6 });
    expect(texted.name === 'ringing' && 'callerIdPrefix' in texted.session).to.equal(false);
  });

  it('a new code seen on the stream starts afresh: no wrong code, its own attempts', () => {
    const ringing = run(initialState, { type: 'submit', request }, { type: 'started', view: view({ status: 'ringing' }) });
    const wrong = run(ringing, { type: 'check', code: '0000' }, { type: 'wrong-code', attemptsLeft: 1, locked: false });
    const voice = transition(wrong, {
      type: 'status',
      view: view({ status: 'calling', channel: 'voice', codeLength: 6, resendAt: new Date(now + 60_000).toISOString() }),
    });
    expect(voice).to.deep.include({ name: 'calling', wrongCode: undefined });
    expect(voice.name === 'calling' && voice.session.attemptsLeft).to.equal(3);
  });

  it('a failed switch goes to the error state with the session, and back to its code on retry', () => {
    const ringing = run(initialState, { type: 'submit', request }, { type: 'started', view: view({ status: 'ringing' }) });
    const switching = transition(ringing, { type: 'fallback', channel: 'voice', now: now + 30_000 });
    const failed = transition(switching, { type: 'failed', error: { code: 'provider_unavailable', retryable: true } });
    expect(failed).to.deep.include({ name: 'error' });
    expect(transition(failed, { type: 'retry', now: now + 31_000 }).name).to.equal('ringing');
    expect(transition(switching, { type: 'failed', error: { code: 'expired', retryable: false } }).name).to.equal('expired');
    expect(transition(switching, { type: 'status', view: view({ status: 'locked' }) }).name).to.equal('locked');
  });
});
