import { Hono } from 'hono';
import type { Context } from 'hono';
import { systemClock } from '../server/clock.js';
import type { Clock } from '../server/clock.js';
import { cryptoRandom } from '../server/random.js';
import type { Random } from '../server/random.js';
import { escapeXml } from '../server/restcomm/rcml.js';

/** The only API version the emulator serves; Restcomm's own. */
export const EMULATOR_API_VERSION = '2012-04-24';

/** Restcomm's call status values (lower-case form). */
export type EmulatedCallStatus = 'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

export interface EmulatedCall {
  sid: string;
  from: string;
  to: string;
  status: EmulatedCallStatus;
  direction: 'outbound-api';
  /** RFC 2822, as Restcomm writes dates. */
  dateCreated: string;
  /** Seconds; 0 until the call ends. Talk time if answered, else ring time. */
  duration: number;
}

/** Restcomm's outbound SMS status values. */
export type EmulatedSmsStatus = 'sending' | 'sent' | 'failed';

/** A text the emulator was asked to send, as the sandbox phone receives it. */
export interface EmulatedSms {
  sid: string;
  from: string;
  to: string;
  /** As Restcomm would deliver it: a body over 160 bytes is cut to its first 159 characters. */
  body: string;
  status: EmulatedSmsStatus;
  /** ISO 8601, when it was sent. */
  time: string;
}

export type EmulatorErrorCode = 'not_found' | 'invalid_state' | 'rcml_unavailable';

/** Why a simulated handset could not do what was asked. */
export class EmulatorError extends Error {
  override name = 'EmulatorError';
  constructor(
    message: string,
    readonly code: EmulatorErrorCode,
  ) {
    super(message);
  }
}

export interface RestcommEmulatorOptions {
  accountSid: string;
  authToken: string;
  /** Used to deliver status callbacks and fetch RCML. */
  fetch?: typeof fetch;
  /** From `initiated` to `ringing` (and to the busy or unreachable outcome). */
  ringDelayMs?: number;
  /** From answer to the end of the call: how long the simulated RCML takes to play. */
  talkMs?: number;
  /** Texts the account may send; past it Restcomm answers 403 `SMS_LIMIT_EXCEEDED`. Unlimited by default. */
  smsLimit?: number;
  random?: Random;
  clock?: Clock;
  log?: (line: Record<string, unknown>) => void;
}

export interface RestcommEmulator {
  /** The Restcomm HTTP API, routes relative to where it is mounted (e.g. `/sandbox/restcomm`). */
  app: Hono;
  /** Newest first. */
  calls(): EmulatedCall[];
  /** Texts sent, newest first. */
  messages(): EmulatedSms[];
  /** Picks up a ringing handset: reports `answered`, fetches the call's RCML and returns what it would say. */
  answer(sid: string): Promise<{ rcml: string; spoken: string }>;
  /** Stops every timer and in-flight request; the emulator places no more calls. */
  close(): void;
}

type CallbackEvent = 'initiated' | 'ringing' | 'answered' | 'completed';
type HttpMethod = 'GET' | 'POST';

interface CallState {
  sid: string;
  from: string;
  to: string;
  status: EmulatedCallStatus;
  createdAt: number;
  updatedAt: number;
  ringStartedAt?: number;
  answeredAt?: number;
  endedAt?: number;
  duration: number;
  timeoutSeconds: number;
  rcmlUrl: string;
  rcmlMethod: HttpMethod;
  statusCallback?: string;
  statusCallbackMethod: HttpMethod;
  events: ReadonlySet<string>;
  nextSequence: number;
  /** Callbacks are chained so each is delivered only after the one before it was answered. */
  deliveries: Promise<void>;
  timer?: ReturnType<typeof setTimeout>;
}

const ALL_EVENTS: readonly CallbackEvent[] = ['initiated', 'ringing', 'answered', 'completed'];
const ENDED: ReadonlySet<EmulatedCallStatus> = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
/** Restcomm's default ring time when the request names none. */
const DEFAULT_TIMEOUT_SECONDS = 60;
/** A receiver that never answers must not hold the rest of a call's callbacks forever. */
const OUTBOUND_TIMEOUT_MS = 5_000;
/** Ended calls kept for listing; the sandbox may run for days. */
const MAX_CALLS = 200;
const MAX_MESSAGES = 200;
/** Restcomm cuts a longer body to its first 159 characters (SmsMessagesEndpoint). */
const MAX_SMS_BYTES = 160;
const SID_PATTERN = /^(ID[0-9a-f]{32}-)?[A-Z]{2}[0-9a-f]{32}$/i;

/**
 * An in-process Restcomm that speaks its HTTP API, so sandbox mode runs the real driver over real HTTP.
 *
 * What it emulates, after Restcomm's Calls API: Basic auth; `POST Calls(.json)` with Restcomm's validation messages and
 * a 200 call record; status callbacks with event names as `CallStatus`, delivered in order with
 * `SequenceNumber`; RCML fetched only when a call is answered; `POST Calls/{sid}(.json)` with `Status=completed`
 * or `Status=canceled`; `GET Calls/{sid}(.json)`. Without `.json` (and without `Accept: application/json`)
 * call records come back as XML, as Restcomm does.
 *
 * Hang-up of an unknown sid answers 406, as Restcomm's CallsEndpoint does (Twilio would say 404); a sid that
 * is not shaped like one answers 400; a call already over answers 410.
 *
 * Simulated handsets, chosen by the last four digits of `To`:
 * - `...0000` is unreachable: it never rings and ends as `failed` after `ringDelayMs`, duration 0.
 * - `...0001` is busy: it never rings and ends as `busy` after `ringDelayMs`, duration 0.
 * - `...0002` picks up by itself after ringing for `ringDelayMs` (an answering machine).
 * - any other number rings until `answer()`, a hang-up, or `Timeout` seconds (then `no-answer`).
 *
 * Text messages, after Restcomm's SMS API: `POST SMS/Messages(.json)` with `From`, `To` and `Body` (a missing one
 * is a 400 with a plain-text body) answers 200 with the message record, `status` `sending`, which moves to
 * `sent` (or `failed` for a `...0000` number) after `ringDelayMs`; past `smsLimit` texts it answers 403 with
 * `{"error":"SMS_LIMIT_EXCEEDED"}`; a body over 160 bytes is cut to 159 characters; no status callback;
 * `GET SMS/Messages/{sid}(.json)`.
 *
 * Not emulated: FallbackUrl, redirecting a live call with `Url` (answers 501), `loop="0"` (said once).
 */
export function createRestcommEmulator(options: RestcommEmulatorOptions): RestcommEmulator {
  const doFetch = options.fetch ?? globalThis.fetch;
  const ringDelayMs = options.ringDelayMs ?? 400;
  const talkMs = options.talkMs ?? 1_500;
  const random = options.random ?? cryptoRandom;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((line) => process.stderr.write(JSON.stringify(line) + '\n'));
  const instanceId = `ID${hex(random, 16)}`;
  const calls = new Map<string, CallState>();
  const messages = new Map<string, EmulatedSms & { createdAt: number; updatedAt: number }>();
  let textsSent = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const shutdown = new AbortController();
  let closed = false;

  function schedule(call: CallState, delayMs: number, action: () => void): void {
    cancelTimer(call);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (call.timer === timer) call.timer = undefined;
      if (!closed) action();
    }, delayMs);
    call.timer = timer;
    timers.add(timer);
  }

  function cancelTimer(call: CallState): void {
    if (call.timer === undefined) return;
    clearTimeout(call.timer);
    timers.delete(call.timer);
    call.timer = undefined;
  }

  function setStatus(call: CallState, status: EmulatedCallStatus): void {
    call.status = status;
    call.updatedAt = clock.now();
  }

  function notify(call: CallState, event: CallbackEvent, extra: Record<string, string> = {}): void {
    if (call.statusCallback === undefined || !call.events.has(event)) return;
    const params: Record<string, string> = {
      AccountSid: options.accountSid,
      CallSid: call.sid,
      From: call.from,
      To: call.to,
      Direction: 'outbound-api',
      CallStatus: event,
      Timestamp: rfc2822(clock.now()),
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(call.nextSequence++),
      InstanceId: instanceId,
      ...extra,
    };
    const url = call.statusCallback;
    const method = call.statusCallbackMethod;
    call.deliveries = call.deliveries.then(async () => {
      if (closed) return;
      try {
        const response = await send(url, method, params);
        // Restcomm parses a non-empty answer as XML it does not act on; only the status matters here.
        await response.body?.cancel();
        if (!response.ok) {
          log({
            level: 'warn',
            event: 'restcomm_emulator.callback_rejected',
            sid: call.sid,
            callStatus: event,
            httpStatus: response.status,
          });
        }
      } catch (error) {
        if (closed) return;
        log({ level: 'warn', event: 'restcomm_emulator.callback_failed', sid: call.sid, callStatus: event, error: errorText(error) });
      }
    });
  }

  function send(url: string, method: HttpMethod, params: Record<string, string>): Promise<Response> {
    const signal = AbortSignal.any([shutdown.signal, AbortSignal.timeout(OUTBOUND_TIMEOUT_MS)]);
    const form = new URLSearchParams(params);
    if (method === 'GET') {
      const target = new URL(url);
      for (const [name, value] of form) target.searchParams.append(name, value);
      return doFetch(target, { method, signal, redirect: 'manual' });
    }
    return doFetch(url, { method, body: form, signal, redirect: 'manual' });
  }

  /** Ends a call and reports `completed`, the only event Restcomm sends for every kind of ending. */
  function end(call: CallState, status: EmulatedCallStatus, since: number | undefined): void {
    cancelTimer(call);
    const now = clock.now();
    call.endedAt = now;
    call.duration = since === undefined ? 0 : Math.max(0, Math.round((now - since) / 1000));
    setStatus(call, status);
    notify(call, 'completed', { CallDuration: String(call.duration) });
  }

  function startRinging(call: CallState): void {
    if (call.status !== 'queued') return;
    const handset = lastFour(call.to);
    if (handset === '0000') return end(call, 'failed', undefined);
    if (handset === '0001') return end(call, 'busy', undefined);
    setStatus(call, 'ringing');
    call.ringStartedAt = clock.now();
    notify(call, 'ringing');
    if (handset === '0002' && call.timeoutSeconds * 1000 > ringDelayMs) {
      schedule(call, ringDelayMs, () => {
        answer(call.sid).catch((error: unknown) =>
          log({ level: 'warn', event: 'restcomm_emulator.auto_answer_failed', sid: call.sid, error: errorText(error) }),
        );
      });
      return;
    }
    schedule(call, call.timeoutSeconds * 1000, () => end(call, 'no-answer', call.ringStartedAt));
  }

  async function answer(sid: string): Promise<{ rcml: string; spoken: string }> {
    const call = calls.get(sid);
    if (!call) throw new EmulatorError(`No call ${sid}.`, 'not_found');
    if (call.status !== 'ringing') {
      throw new EmulatorError(`Only a ringing call can be answered; this one is ${call.status}.`, 'invalid_state');
    }
    cancelTimer(call);
    setStatus(call, 'in-progress');
    call.answeredAt = clock.now();
    notify(call, 'answered');
    // Restcomm reports the answer before it runs the call's RCML.
    await call.deliveries;

    let rcml: string;
    let spoken: string;
    try {
      rcml = await fetchRcml(call);
      spoken = spokenText(rcml);
    } catch (error) {
      // Restcomm apologises for an application error and hangs up.
      if (talking(call)) end(call, 'completed', call.answeredAt);
      if (!closed) log({ level: 'warn', event: 'restcomm_emulator.rcml_failed', sid, error: errorText(error) });
      throw new EmulatorError(`The call's RCML could not be used: ${errorText(error)}`, 'rcml_unavailable');
    }
    if (talking(call)) {
      schedule(call, talkMs, () => end(call, 'completed', call.answeredAt));
    }
    return { rcml, spoken };
  }

  async function fetchRcml(call: CallState): Promise<string> {
    const response = await send(call.rcmlUrl, call.rcmlMethod, {
      CallSid: call.sid,
      AccountSid: options.accountSid,
      From: call.from,
      To: call.to,
      CallStatus: 'in-progress',
      Direction: 'outbound-api',
      ApiVersion: EMULATOR_API_VERSION,
    });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`RCML answered HTTP ${response.status}`);
    const type = response.headers.get('content-type') ?? '';
    if (!/[/+]xml\b/i.test(type)) throw new Error(`RCML served as ${type || 'no content type'}, not XML`);
    return body;
  }

  function forget(): void {
    if (calls.size <= MAX_CALLS) return;
    for (const [sid, call] of calls) {
      if (calls.size <= MAX_CALLS) return;
      if (ENDED.has(call.status)) calls.delete(sid);
    }
  }

  function publicCall(call: CallState): EmulatedCall {
    return {
      sid: call.sid,
      from: call.from,
      to: call.to,
      status: call.status,
      direction: 'outbound-api',
      dateCreated: rfc2822(call.createdAt),
      duration: call.duration,
    };
  }

  /** Restcomm's call record (the CDR) in its JSON field names. */
  function record(call: CallState, requestPath: string): Record<string, string | number> {
    const accountPath = requestPath.slice(0, requestPath.lastIndexOf('/Calls'));
    return {
      sid: call.sid,
      instance_id: instanceId,
      date_created: rfc2822(call.createdAt),
      date_updated: rfc2822(call.updatedAt),
      account_sid: options.accountSid,
      to: call.to,
      from: call.from,
      status: call.status,
      start_time: rfc2822(call.createdAt),
      ...(call.endedAt === undefined ? {} : { end_time: rfc2822(call.endedAt) }),
      duration: call.duration,
      direction: 'outbound-api',
      api_version: EMULATOR_API_VERSION,
      uri: `${accountPath}/Calls/${call.sid}.json`,
    };
  }

  function respondRecord(c: Context, call: CallState): Response {
    return respond(c, 'Call', record(call, c.req.path));
  }

  function respond(c: Context, element: string, fields: Record<string, string | number>): Response {
    if (wantsJson(c)) return c.json(fields, 200);
    const xml = Object.entries(fields)
      .map(([name, value]) => {
        const tag = name.replace(/(^|_)([a-z])/g, (_, __: string, letter: string) => letter.toUpperCase());
        return `<${tag}>${escapeXml(String(value))}</${tag}>`;
      })
      .join('');
    return c.body(`<?xml version="1.0" encoding="UTF-8"?><RestcommResponse><${element}>${xml}</${element}></RestcommResponse>`, 200, {
      'content-type': 'application/xml; charset=utf-8',
    });
  }

  const app = new Hono();
  const account = `/${EMULATOR_API_VERSION}/Accounts/:accountSid`;

  app.use(`${account}/*`, async (c, next) => {
    if (!authorized(c.req.header('authorization'), options.accountSid, options.authToken)) {
      return c.body(null, 401, { 'www-authenticate': 'Basic realm="Restcomm"' });
    }
    // Valid credentials for one account do not reach another's resources.
    if (c.req.param('accountSid') !== options.accountSid) return c.body(null, 403);
    await next();
  });

  const create = async (c: Context): Promise<Response> => {
    if (closed) return c.text('The emulator is shut down.', 503);
    const form = await formOf(c);
    for (const name of ['From', 'To', 'Url'] as const) {
      if (!form[name]?.trim()) return c.text(`${name} can not be null.`, 400);
    }
    const rcmlUrl = httpUrl(form['Url']);
    if (!rcmlUrl) return c.text(`${form['Url']} is not a valid URL.`, 400);
    let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    if (form['Timeout'] !== undefined) {
      if (!/^\d{1,6}$/.test(form['Timeout'].trim())) return c.text('Timeout must be a whole number of seconds.', 400);
      timeoutSeconds = Number(form['Timeout'].trim());
    }
    // Restcomm silently drops a StatusCallback it cannot parse.
    const statusCallback = form['StatusCallback'] === undefined ? undefined : httpUrl(form['StatusCallback']);
    if (form['StatusCallback'] !== undefined && !statusCallback) {
      log({ level: 'warn', event: 'restcomm_emulator.status_callback_ignored', reason: 'not an http(s) URL' });
    }
    const requested = form['StatusCallbackEvent'];
    const events = new Set(
      requested === undefined
        ? ALL_EVENTS
        : requested
            .split(',')
            .map((event) => event.trim().toLowerCase())
            .filter((event) => event !== ''),
    );

    const now = clock.now();
    const call: CallState = {
      sid: `ID${hex(random, 16)}-CA${hex(random, 16)}`,
      from: form['From']!.trim(),
      to: form['To']!.trim(),
      status: 'queued',
      createdAt: now,
      updatedAt: now,
      duration: 0,
      timeoutSeconds,
      rcmlUrl,
      rcmlMethod: method(form['Method']),
      ...(statusCallback === undefined ? {} : { statusCallback }),
      statusCallbackMethod: method(form['StatusCallbackMethod']),
      events,
      nextSequence: 0,
      deliveries: Promise.resolve(),
    };
    calls.set(call.sid, call);
    forget();
    notify(call, 'initiated');
    schedule(call, ringDelayMs, () => startRinging(call));
    return respondRecord(c, call);
  };
  app.post(`${account}/Calls`, create);
  app.post(`${account}/Calls.json`, create);

  app.get(`${account}/Calls/:callSid`, (c) => {
    const call = calls.get(c.req.param('callSid').replace(/\.json$/, ''));
    return call ? respondRecord(c, call) : c.body(null, 404);
  });

  app.post(`${account}/Calls/:callSid`, async (c) => {
    const sid = c.req.param('callSid').replace(/\.json$/, '');
    if (!SID_PATTERN.test(sid)) return c.body(null, 400);
    const call = calls.get(sid);
    if (!call) return c.body(null, 406);
    if (ENDED.has(call.status)) return c.text('Call is already completed.', 410);
    const form = await formOf(c);
    const status = form['Status']?.trim().toLowerCase();
    if (!status && !form['Url']) {
      return c.text('You can either redirect a running call using "Url" or change the state of a Call with "Status"', 409);
    }
    if (form['Url'] && status !== 'completed' && status !== 'canceled') {
      return c.text('Redirecting a live call is not emulated.', 501);
    }
    // `completed` ends a call in any state; `canceled` only one not yet answered. Anything else is ignored.
    const live = status === 'completed' || (status === 'canceled' && call.status !== 'in-progress');
    if (live) {
      if (call.status === 'in-progress') end(call, 'completed', call.answeredAt);
      else end(call, 'canceled', call.ringStartedAt);
    }
    return respondRecord(c, call);
  });

  /** Restcomm's SMS message record in its JSON field names. */
  function smsRecord(message: EmulatedSms & { createdAt: number; updatedAt: number }, requestPath: string) {
    const accountPath = requestPath.slice(0, requestPath.lastIndexOf('/SMS/'));
    return {
      sid: message.sid,
      date_created: rfc2822(message.createdAt),
      date_updated: rfc2822(message.updatedAt),
      date_sent: rfc2822(message.createdAt),
      account_sid: options.accountSid,
      from: message.from,
      to: message.to,
      body: message.body,
      status: message.status,
      direction: 'outbound-api',
      price: '0',
      api_version: EMULATOR_API_VERSION,
      uri: `${accountPath}/SMS/Messages/${message.sid}.json`,
    };
  }

  const sendSms = async (c: Context): Promise<Response> => {
    if (closed) return c.text('The emulator is shut down.', 503);
    const form = await formOf(c);
    for (const name of ['From', 'To', 'Body'] as const) {
      if (!form[name]?.trim()) return c.text(`${name} can not be null.`, 400);
    }
    if (options.smsLimit !== undefined && textsSent >= options.smsLimit) {
      return c.json({ error: 'SMS_LIMIT_EXCEEDED', message: 'The account has reached its SMS limit.' }, 403);
    }
    textsSent++;
    let body = form['Body']!;
    if (Buffer.byteLength(body, 'utf8') > MAX_SMS_BYTES) body = [...body].slice(0, 159).join('');
    const now = clock.now();
    const message = {
      sid: `SM${hex(random, 16)}`,
      from: form['From']!.trim(),
      to: form['To']!.trim(),
      body,
      status: 'sending' as EmulatedSmsStatus,
      time: new Date(now).toISOString(),
      createdAt: now,
      updatedAt: now,
    };
    messages.set(message.sid, message);
    if (messages.size > MAX_MESSAGES) messages.delete(messages.keys().next().value!);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (closed) return;
      message.status = lastFour(message.to) === '0000' ? 'failed' : 'sent';
      message.updatedAt = clock.now();
    }, ringDelayMs);
    timers.add(timer);
    return respond(c, 'SMSMessage', smsRecord(message, c.req.path));
  };
  app.post(`${account}/SMS/Messages`, sendSms);
  app.post(`${account}/SMS/Messages.json`, sendSms);

  app.get(`${account}/SMS/Messages/:smsSid`, (c) => {
    const message = messages.get(c.req.param('smsSid').replace(/\.json$/, ''));
    return message ? respond(c, 'SMSMessage', smsRecord(message, c.req.path)) : c.body(null, 404);
  });

  return {
    app,
    calls: () => [...calls.values()].reverse().map(publicCall),
    messages: () =>
      [...messages.values()].reverse().map(({ sid, from, to, body, status, time }) => ({ sid, from, to, body, status, time })),
    answer,
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const call of calls.values()) call.timer = undefined;
      shutdown.abort();
    },
  };
}

/**
 * The words an RCML document makes Restcomm say: each `<Say>`'s text, as many times as its `loop`, in order.
 * `loop="0"` (forever on a real call) counts once and loops are capped at 10, so a listing stays readable.
 * Throws when the document is not RCML.
 */
export function spokenText(rcml: string): string {
  if (!/<Response(\s[^>]*)?(>|\/>)/.test(rcml)) throw new Error('RCML has no <Response> element');
  const parts: string[] = [];
  for (const match of rcml.matchAll(/<Say(\s[^>]*)?>([\s\S]*?)<\/Say\s*>/g)) {
    const loopAttribute = /\sloop\s*=\s*["'](\d+)["']/.exec(match[1] ?? '')?.[1];
    const loop = loopAttribute === undefined ? 1 : Math.max(1, Math.min(10, Number(loopAttribute)));
    const text = unescapeXml(match[2] ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    if (text) for (let i = 0; i < loop; i++) parts.push(text);
  }
  return parts.join(' ');
}

function authorized(header: string | undefined, accountSid: string, authToken: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 && decoded.slice(0, colon) === accountSid && decoded.slice(colon + 1) === authToken;
}

async function formOf(c: Context): Promise<Record<string, string | undefined>> {
  const form: Record<string, string | undefined> = {};
  const type = c.req.header('content-type') ?? '';
  // Restcomm reads form fields only; a JSON body carries none of them.
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return form;
  const body = await c.req.parseBody();
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') form[name] = value;
  }
  return form;
}

function wantsJson(c: Context): boolean {
  return c.req.path.endsWith('.json') || /application\/json/i.test(c.req.header('accept') ?? '');
}

function method(value: string | undefined): HttpMethod {
  return value?.trim().toUpperCase() === 'GET' ? 'GET' : 'POST';
}

function httpUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Read through a function: a hang-up may have ended the call while answer() was awaiting. */
function talking(call: { status: EmulatedCallStatus }): boolean {
  return call.status === 'in-progress';
}

function lastFour(number: string): string {
  return number.replace(/\D/g, '').slice(-4);
}

function hex(random: Random, bytes: number): string {
  return Buffer.from(random.bytes(bytes)).toString('hex');
}

/** `Tue, 15 Nov 1994 08:12:31 +0000`, the form Restcomm uses. */
function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (entity, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[lower] ?? entity;
  });
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
