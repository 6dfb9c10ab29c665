import type { CallProgress, CallStatusEvent } from '../telephony/provider.js';

/**
 * Restcomm's status callbacks carry the event name (`initiated`, `ringing`, `answered`, `completed`) in
 * `CallStatus`, but other paths and versions report the call's status instead (`in-progress`, `no-answer`,
 * sometimes as `NO_ANSWER`). Both vocabularies are accepted; every way a call can end is `completed`, since
 * that is what Restcomm itself sends at the end of a call whatever the cause.
 */
const PROGRESS: ReadonlyMap<string, CallProgress> = new Map([
  ['initiated', 'initiated'],
  ['queued', 'initiated'],
  ['ringing', 'ringing'],
  ['answered', 'answered'],
  ['in-progress', 'answered'],
  ['completed', 'completed'],
  ['failed', 'completed'],
  ['busy', 'completed'],
  ['no-answer', 'completed'],
  ['canceled', 'completed'],
  ['not-found', 'completed'],
]);

/** Restcomm sids are `ID<32 hex>-CA<32 hex>` (older `CA<32 hex>`); anything far from that is not one. */
const SID_PATTERN = /^[A-Za-z0-9-]{1,128}$/;

/** A status callback's form fields as the verification service understands them; null when it is not one. */
export function parseStatusCallback(params: Record<string, string>): CallStatusEvent | null {
  const sid = params['CallSid']?.trim();
  if (!sid || !SID_PATTERN.test(sid)) return null;
  const raw = params['CallStatus'];
  if (raw === undefined) return null;
  const status = raw.trim().toLowerCase().replaceAll('_', '-');
  const progress = PROGRESS.get(status);
  if (!progress) return null;

  const event: CallStatusEvent = { sid, progress };
  if (progress === 'completed') event.outcome = status;
  const sequence = wholeNumber(params['SequenceNumber']);
  if (sequence !== undefined) event.sequence = sequence;
  const duration = wholeNumber(params['CallDuration']);
  if (duration !== undefined) event.durationSeconds = duration;
  return event;
}

function wholeNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^\d{1,15}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}
