// The sandbox phone: a simulated handset for the emulator's calls and texts. It reads the sandbox API only and knows
// nothing of the element, as a real phone knows nothing of the page that asked for the call. Numbers are
// grouped by the element's own phone library, with the same per-calling-code metadata.
import { arrivals, formatInternational, partsLoaded } from '../../widget/phone/phone-lib.js';
import { asciiDigits } from '../../widget/phone/digits.js';

/** A call as the sandbox lists it (sandbox/phone-routes.ts). */
interface SandboxCall {
  sid: string;
  from: string;
  to: string;
  status: string;
  dateCreated: string;
}

/** A text as the sandbox lists it (sandbox/phone-routes.ts). */
interface SandboxText {
  sid: string;
  from: string;
  to: string;
  body: string;
  time: string;
}

/** What answering a call brought back: the words said and the RCML that said them, or why it failed. */
type Answer = { spoken: string; rcml: string } | { error: string } | 'pending';

interface CallerIdPattern {
  prefix: string;
  codeLength: number;
}

type Mode = 'incoming' | 'talking' | 'ended' | 'home';
type Outcome = 'ringing' | 'talking' | 'answered' | 'declined' | 'busy' | 'failed' | 'missed';

const root = document.getElementById('sandbox-phone')!;
const CALLS_URL = root.dataset.callsUrl || '/sandbox/calls';
const MESSAGES_URL = root.dataset.messagesUrl || '/sandbox/messages';
/** Calls from these numbers are meant to be answered: they say the code rather than carry it in the caller ID. */
const VOICE_CALLER_IDS = new Set(parseList(root.dataset.voiceCallerIds).map((number) => digitsOf(number)));
const LINE_TYPE_URL = root.dataset.lineTypeUrl || '/demo/line-type';
const PATTERNS = parsePatterns(root.dataset.callerIds);
/** Quick while someone is using the page or a call is live; slow otherwise, to keep the server's log quiet. */
const POLL_MS = 500;
const IDLE_POLL_MS = 4000;
const ACTIVE_FOR_MS = 90 * 1000;
const RECENT_LIMIT = 6;
/** Texts on the lock screen, newest first: room is short there, shorter still beside a missed call. */
const TEXT_LIMIT = 2;
const TEXT_LIMIT_BESIDE_MISSED = 1;
/** A missed call stays on the lock screen this long, so its code can still be read after the ringing stops. */
const MISSED_FOR_MS = 10 * 60 * 1000;

const LIVE = new Set(['queued', 'ringing']);

// ---- what the phone remembers, as a handset would: which calls it answered or turned down ----------------
let calls: SandboxCall[] = [];
let texts: SandboxText[] = [];
let textsSeen: Set<string> | undefined; // sids of the texts already there; undefined until the first poll
let online = true;
const answered = new Map<string, Answer>();
const pickedUp = new Set<string>(); // sids seen in progress, whoever answered
const declined = new Set<string>();
const announced = new Set<string>();
const dismissed = new Set<string>(); // sids whose heads-up banner was closed
let viewing: string | null = null; // sid of the answered call whose screen is open

// The call log outlives a page load (the welcome page and back), as a handset's would.
const MEMORY_KEY = 'fcv-sandbox-phone';
try {
  const saved = JSON.parse(sessionStorage.getItem(MEMORY_KEY) || '{}') as { answered?: string[]; declined?: string[] };
  for (const sid of saved.answered ?? []) pickedUp.add(sid);
  for (const sid of saved.declined ?? []) declined.add(sid);
} catch {
  // Storage may be disabled; the phone then forgets on reload.
}

/** Whether this handset picked the call up (a failed attempt does not count). */
function tookCall(sid: string): boolean {
  const answer = answered.get(sid);
  return answer !== undefined && !(typeof answer === 'object' && 'error' in answer);
}

function remember(): void {
  try {
    const answeredSids = [...new Set([...pickedUp, ...[...answered.keys()].filter(tookCall)])].slice(-50);
    sessionStorage.setItem(MEMORY_KEY, JSON.stringify({ answered: answeredSids, declined: [...declined].slice(-50) }));
  } catch {
    // As above.
  }
}

// ---- helpers -------------------------------------------------------------------------------------------

function parseList(json: string | undefined): string[] {
  try {
    const list: unknown = JSON.parse(json || '[]');
    return Array.isArray(list) ? list.map(String) : [];
  } catch {
    return [];
  }
}

function parsePatterns(json: string | undefined): CallerIdPattern[] {
  try {
    const list: unknown = JSON.parse(json || '[]');
    if (!Array.isArray(list)) return [];
    return list.flatMap((pattern) => {
      const match = /^\+?(\d+)(X+)$/i.exec(String(pattern).replace(/[\s-]/g, ''));
      return match ? [{ prefix: match[1]!, codeLength: match[2]!.length }] : [];
    });
  } catch {
    return [];
  }
}

function digitsOf(number: string | undefined): string {
  return asciiDigits(String(number || '')).replace(/\D/g, '');
}

/** Digits of the caller ID that are the code: none for a call meant to be answered. */
function codeLengthFor(from: string): number {
  const digits = digitsOf(from);
  if (VOICE_CALLER_IDS.has(digits)) return 0;
  const pattern = PATTERNS.find((p) => digits.startsWith(p.prefix) && digits.length === p.prefix.length + p.codeLength);
  // Without the page's patterns, every call is taken for a flash call with the usual four digits.
  return pattern ? pattern.codeLength : PATTERNS.length === 0 ? 4 : 0;
}

/**
 * libphonenumber's grouping, with any run of more than seven digits (the long subscriber numbers some
 * plans allow, which it leaves whole) broken from the right into threes before a last four, so the
 * number can wrap on a narrow screen and be read aloud. `undefined` while the calling code's metadata is on its way.
 */
function grouped(number: string): string | undefined {
  const text = formatInternational(number);
  return text?.replace(/\d{8,}/g, (run) => {
    const groups = [run.slice(-4)];
    for (let rest = run.slice(0, -4); rest; rest = rest.slice(0, -3)) groups.unshift(rest.slice(-3));
    return groups.join(' ');
  });
}

/** What a handset would call the line, by libphonenumber's type; none when the number could be either. */
const LINE_WORDS: Record<string, string> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'landline',
  TOLL_FREE: 'toll-free',
  PREMIUM_RATE: 'premium rate',
  SHARED_COST: 'shared cost',
  VOIP: 'VoIP',
  PERSONAL_NUMBER: 'personal number',
  PAGER: 'pager',
  UAN: 'company number',
  VOICEMAIL: 'voicemail',
};

// Number -> type word ('' when unknown), or a pending promise. Only the server holds full metadata.
const lineTypes = new Map<string, string | Promise<unknown>>();

function lineTypeOf(e164: string): string {
  const known = lineTypes.get(e164);
  if (typeof known === 'string') return known;
  if (!known) {
    lineTypes.set(
      e164,
      fetch(`${LINE_TYPE_URL}/${encodeURIComponent(e164)}`)
        .then((response) => (response.ok ? (response.json() as Promise<{ type?: string | null }>) : {}))
        .then(async (body: { type?: string | null }) => {
          // Named once the number itself can be shown grouped, so the line never changes twice.
          formatNumber(e164);
          await arrivals();
          lineTypes.set(e164, (body.type && LINE_WORDS[body.type]) ?? '');
        })
        // Left unnamed rather than asked again on every render while the server is away.
        .catch(() => lineTypes.set(e164, ''))
        .finally(render),
    );
  }
  return '';
}

/** A number grouped as people write it; a text's sender may be a name (an alphanumeric sender ID), shown as it is. */
function formatNumber(e164: string): string {
  if (!/^\+?\d/.test(e164)) return e164;
  return grouped(`+${digitsOf(e164)}`) ?? String(e164);
}

/** The caller ID as the phone shows it: the known part, then the code digits set apart. */
function callerIdParts(from: string): { known: string; code: string } {
  const n = codeLengthFor(from);
  const digits = digitsOf(from);
  const prefix = `+${digits.slice(0, Math.max(0, digits.length - n))}`;
  // Grouped as the whole number would be, so the known part reads as the element shows it.
  return { known: (grouped(prefix) ?? prefix).trim(), code: n === 0 ? '' : digits.slice(-n) };
}

type Props = Record<string, string | boolean | null | undefined | EventListener>;
type Child = Node | string | null | undefined | false;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Array<Child | Child[]>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = String(value);
    else if (key === 'text') node.textContent = String(value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  node.append(...children.flat().filter((c): c is Node | string => c !== null && c !== undefined && c !== false));
  return node;
}

function callerIdNode(from: string, className = 'caller-id'): HTMLElement {
  const { known, code } = callerIdParts(from);
  return el(
    'span',
    { class: className, dir: 'ltr', 'data-caller-id': from },
    el('span', { class: 'known', text: known }),
    code && ' ',
    code && el('mark', { class: 'code', text: code }),
  );
}

function svg(markup: string): Node {
  const template = document.createElement('template');
  template.innerHTML = markup.trim();
  return template.content.firstChild!;
}

const ICONS = {
  phone:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2c.3-.3.7-.4 1-.2 1.1.4 2.3.6 3.6.6.6 0 1 .4 1 1V20c0 .6-.4 1-1 1A17 17 0 0 1 3 4c0-.6.4-1 1-1h3.5c.6 0 1 .4 1 1 0 1.3.2 2.5.6 3.6.1.3 0 .7-.2 1z"/></svg>',
  hangup:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M12 9c-1.6 0-3.2.3-4.6.7v3.1c0 .4-.2.7-.6.9-1 .5-1.9 1.1-2.6 1.8-.2.2-.4.3-.7.3s-.5-.1-.7-.3L.3 13.1a1 1 0 0 1 0-1.4C3.3 8.8 7.5 7 12 7s8.7 1.8 11.7 4.7a1 1 0 0 1 0 1.4l-2.5 2.5c-.2.2-.4.3-.7.3s-.5-.1-.7-.3c-.8-.7-1.7-1.3-2.6-1.8-.4-.2-.6-.5-.6-.9V9.7C15.2 9.3 13.6 9 12 9z"/></svg>',
  missed:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M17 7L7 17M7 9v8h8"/></svg>',
  incoming:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d="M17 7L7 17M7 9v8h8"/></svg>',
  close:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" d="M7 7l10 10M17 7L7 17"/></svg>',
  declined:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" d="M7 7l10 10M17 7L7 17"/></svg>',
  message:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M12 3C6.5 3 2 6.6 2 11c0 2.4 1.3 4.5 3.4 6L4.5 21l4.3-2.4c1 .3 2.1.4 3.2.4 5.5 0 10-3.6 10-8s-4.5-8-10-8z"/></svg>',
  speaker:
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M3 10v4c0 .6.4 1 1 1h3l4 4V5L7 9H4c-.6 0-1 .4-1 1zm13.5 2A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z"/></svg>',
  signal:
    '<svg viewBox="0 0 18 12" aria-hidden="true"><rect x="0" y="8" width="3" height="4" rx="1" fill="currentColor"/><rect x="5" y="5.5" width="3" height="6.5" rx="1" fill="currentColor"/><rect x="10" y="3" width="3" height="9" rx="1" fill="currentColor"/><rect x="15" y="0" width="3" height="12" rx="1" fill="currentColor"/></svg>',
  battery:
    '<svg viewBox="0 0 26 12" aria-hidden="true"><rect x="0.5" y="0.5" width="22" height="11" rx="3" fill="none" stroke="currentColor" opacity=".5"/><rect x="2" y="2" width="17" height="8" rx="1.6" fill="currentColor"/><rect x="23.6" y="4" width="1.6" height="4" rx=".8" fill="currentColor" opacity=".5"/></svg>',
};

function outcome(call: SandboxCall): Outcome {
  if (LIVE.has(call.status)) return declined.has(call.sid) ? 'declined' : 'ringing';
  if (call.status === 'in-progress') return 'talking';
  if (pickedUp.has(call.sid) || tookCall(call.sid)) return 'answered';
  if (declined.has(call.sid)) return 'declined';
  if (call.status === 'busy') return 'busy';
  if (call.status === 'failed') return 'failed';
  return 'missed';
}

const OUTCOME_TEXT: Record<Outcome, string> = {
  ringing: 'Ringing',
  talking: 'On call',
  answered: 'Answered',
  declined: 'Declined',
  busy: 'Busy',
  failed: 'Not delivered',
  missed: 'Missed',
};

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

/** "2:49", as a phone's status bar and lock screen show it: no AM or PM. */
function clock(date: Date): string {
  return timeFormat
    .formatToParts(date)
    .filter((part) => part.type !== 'dayPeriod')
    .map((part) => part.value)
    .join('')
    .trim();
}

function when(call: SandboxCall): string {
  return ago(Date.parse(call.dateCreated));
}

function ago(at: number): string {
  if (Number.isNaN(at)) return '';
  const seconds = Math.round((Date.now() - at) / 1000);
  if (seconds < 45) return 'now';
  if (seconds < 3600) return relative.format(-Math.round(seconds / 60), 'minute');
  return timeFormat.format(at);
}

// ---- the handset's markup ---------------------------------------------------------------------------------

const clockTime = el('span', { class: 'sb-time' });
const network = el('span', { class: 'sb-icons' }, svg(ICONS.signal), svg(ICONS.battery));
// Not paragraphs: a big bold line would read as an unmarked heading.
const lockTime = el('time', { class: 'lock-time' });
const lockDate = el('time', { class: 'lock-date' });
const notice = el('div', { class: 'notice', hidden: true });
const textList = el('ol', { class: 'texts', 'aria-label': 'Messages', hidden: true });
const recentList = el('ol', { class: 'recents', 'aria-labelledby': 'recents-title' });
const recentEmpty = el('p', { class: 'recents-empty', text: 'No calls yet. Verify a number on the signup page and it rings here.' });
const offline = el('p', { class: 'offline', hidden: true, role: 'status', text: 'Sandbox unreachable: is the server still running?' });
const home = el(
  'section',
  { class: 'screen-home', 'aria-label': 'Home screen' },
  el('div', { class: 'lock' }, lockTime, lockDate),
  offline,
  notice,
  textList,
  el(
    'div',
    { class: 'recents-card' },
    el('h3', { class: 'recents-title', id: 'recents-title', text: 'Recent calls' }),
    recentEmpty,
    recentList,
  ),
  el('p', { class: 'waiting' }, el('span', { class: 'waiting-dot', 'aria-hidden': 'true' }), 'Sandbox line open'),
);

const callLabel = el('p', { class: 'call-label' });
const callerSlot = el('p', { class: 'caller-line' });
const callSub = el('p', { class: 'call-sub' });
const callHint = el('p', { class: 'call-hint' });
const avatar = el(
  'div',
  { class: 'avatar', 'aria-hidden': 'true' },
  el('span', { class: 'ring r1' }),
  el('span', { class: 'ring r2' }),
  svg(ICONS.phone),
);
const spoken = el('p', { class: 'spoken' });
const rcml = el('pre', { class: 'rcml' });
const transcript = el(
  'div',
  { class: 'transcript', hidden: true },
  el('p', { class: 'transcript-label' }, svg(ICONS.speaker), 'Heard on the call'),
  spoken,
  el('details', { class: 'rcml-details' }, el('summary', { text: 'RCML the server returned' }), rcml),
);
const declineButton = el(
  'button',
  { type: 'button', class: 'round decline', 'data-action': 'decline', 'aria-label': 'Decline' },
  svg(ICONS.hangup),
);
const answerButton = el(
  'button',
  { type: 'button', class: 'round answer', 'data-action': 'answer', 'aria-label': 'Answer' },
  svg(ICONS.phone),
);
const closeButton = el('button', { type: 'button', class: 'pill-button', 'data-action': 'close', text: 'Close' });
const incomingActions = el(
  'div',
  { class: 'call-actions' },
  el('div', { class: 'action' }, declineButton, el('span', { text: 'Decline', 'aria-hidden': 'true' })),
  el('div', { class: 'action' }, answerButton, el('span', { text: 'Answer', 'aria-hidden': 'true' })),
);
const afterActions = el('div', { class: 'call-actions after', hidden: true }, closeButton);
const callScreen = el(
  'section',
  { class: 'screen-call', hidden: true, 'aria-label': 'Call' },
  callLabel,
  avatar,
  callerSlot,
  callSub,
  callHint,
  transcript,
  el('div', { class: 'spacer' }),
  incomingActions,
  afterActions,
);

const headsUpCaller = el('span', { class: 'heads-up-caller' });
const headsUp = el(
  'div',
  { class: 'heads-up', hidden: true },
  el('span', { class: 'heads-up-icon', 'aria-hidden': 'true' }, svg(ICONS.phone)),
  el(
    'span',
    { class: 'heads-up-text' },
    el('span', { class: 'heads-up-label' }, 'Incoming call', el('span', { class: 'heads-up-source', text: ' · sandbox phone' })),
    headsUpCaller,
  ),
  el('a', { class: 'heads-up-link', href: '#sandbox-phone', 'aria-label': 'Show the sandbox phone', text: 'Show' }),
  el('button', { type: 'button', class: 'heads-up-dismiss', 'aria-label': 'Hide the banner', onclick: dismissHeadsUp }, svg(ICONS.close)),
);
headsUp.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') dismissHeadsUp();
});
const live = el('p', { class: 'sr-only', 'aria-live': 'polite' });

const frame = el(
  'div',
  { class: 'phone-frame' },
  el(
    'div',
    { class: 'phone-screen' },
    el('div', { class: 'island', 'aria-hidden': 'true' }),
    el('div', { class: 'statusbar', 'aria-hidden': 'true' }, clockTime, network),
    home,
    callScreen,
    el('div', { class: 'home-bar', 'aria-hidden': 'true' }),
  ),
);
root.replaceChildren(frame, live);
// Calls come from these caller IDs: their calling codes' metadata is fetched before the first call rings.
for (const pattern of PATTERNS) formatNumber(`+${pattern.prefix}`);
// The page gives the banner a place in its sticky header, so it takes room there instead of covering the page.
(document.getElementById(root.dataset.bannerSlot ?? '') ?? root).append(headsUp);

// The banner stands in for the handset while the handset is out of sight: below the form on a small
// screen, or scrolled away on a short one.
let handsetVisible = true;
if ('IntersectionObserver' in window) {
  new IntersectionObserver(
    (entries) => {
      handsetVisible = entries.some((entry) => entry.isIntersecting);
      render();
    },
    { threshold: 0.5 },
  ).observe(frame);
}

// ---- actions ----------------------------------------------------------------------------------------------

answerButton.addEventListener('click', () => void answer());

async function answer(): Promise<void> {
  const call = ringingCall();
  if (!call) return;
  answered.set(call.sid, 'pending');
  viewing = call.sid;
  remember();
  render();
  try {
    const response = await fetch(`${CALLS_URL}/${encodeURIComponent(call.sid)}/answer`, { method: 'POST', cache: 'no-store' });
    const body = (await response.json().catch(() => ({}))) as { detail?: string; title?: string; spoken?: unknown; rcml?: unknown };
    if (!response.ok) throw new Error(body.detail || body.title || `HTTP ${response.status}`);
    const spoken = typeof body.spoken === 'string' ? body.spoken : '';
    answered.set(call.sid, { spoken, rcml: typeof body.rcml === 'string' ? body.rcml : '' });
    say(`Answered. The call says: ${spoken}`);
  } catch (error) {
    answered.set(call.sid, { error: error instanceof Error ? error.message : String(error) });
  }
  render();
  void poll();
}

declineButton.addEventListener('click', () => {
  const call = ringingCall();
  if (!call) return;
  // The emulator has no "reject": the handset stops showing the call and lets it ring out, as a silenced phone does.
  declined.add(call.sid);
  remember();
  render();
});

closeButton.addEventListener('click', () => {
  viewing = null;
  render();
});

/** Closed for this call only: the next call shows it again. */
function dismissHeadsUp(): void {
  const call = ringingCall();
  if (call) dismissed.add(call.sid);
  render();
}

function say(text: string): void {
  live.textContent = text;
}

// ---- rendering --------------------------------------------------------------------------------------------

// Only once the network rings it: a call still queued cannot be answered yet, and tapping Answer then failed.
function ringingCall(): SandboxCall | undefined {
  return calls.find((c) => c.status === 'ringing' && !declined.has(c.sid) && !answered.has(c.sid));
}

function recentMissed(): SandboxCall | undefined {
  const newest = calls[0];
  if (!newest || outcome(newest) !== 'missed') return undefined;
  const at = Date.parse(newest.dateCreated);
  return Number.isNaN(at) || Date.now() - at < MISSED_FOR_MS ? newest : undefined;
}

let shownCallKey = '';
let shownRecentsKey = '';
let shownNoticeKey = '';

function render(): void {
  const now = new Date();
  clockTime.textContent = clock(now);
  lockTime.textContent = clock(now);
  lockDate.textContent = dateFormat.format(now);
  offline.hidden = online;
  root.dataset.online = String(online);

  const ringing = ringingCall();
  const open = !ringing && viewing ? calls.find((c) => c.sid === viewing) : undefined;
  const call = ringing ?? open;
  const mode: Mode = ringing
    ? 'incoming'
    : open
      ? open.status === 'in-progress' || answered.get(open.sid) === 'pending'
        ? 'talking'
        : 'ended'
      : 'home';
  root.dataset.state = mode;

  home.hidden = mode !== 'home';
  callScreen.hidden = mode === 'home';
  callScreen.dataset.mode = mode;
  frame.classList.toggle('buzzing', mode === 'incoming');

  if (call) {
    const line = lineTypeOf(call.to);
    callSub.textContent = `to ${formatNumber(call.to)}${line ? ` · ${line}` : ''}`;
  }
  const answer = call ? answered.get(call.sid) : undefined;
  const callKey = `${mode}|${call?.sid}|${typeof answer === 'object' ? 'answered' : answer}|${partsLoaded()}`;
  if (callKey !== shownCallKey) {
    shownCallKey = callKey;
    renderCall(mode, call, answer);
  }

  headsUp.hidden = !ringing || handsetVisible || dismissed.has(ringing.sid);
  if (ringing && headsUpCaller.dataset.sid !== `${ringing.sid}|${partsLoaded()}`) {
    headsUpCaller.dataset.sid = `${ringing.sid}|${partsLoaded()}`;
    headsUpCaller.replaceChildren(callerIdNode(ringing.from));
  }
  if (ringing && !announced.has(ringing.sid)) {
    announced.add(ringing.sid);
    const { known, code } = callerIdParts(ringing.from);
    say(
      code
        ? `Sandbox phone: incoming call from ${known} ${code.split('').join(' ')}. The last ${code.length} digits are the code.`
        : `Sandbox phone: incoming call from ${known}. Answer it to hear the code.`,
    );
  }

  const missed = recentMissed();
  const noticeKey = missed ? `${missed.sid}|${partsLoaded()}` : '';
  if (noticeKey !== shownNoticeKey) {
    shownNoticeKey = noticeKey;
    notice.hidden = !missed;
    if (missed) {
      notice.replaceChildren(
        el('span', { class: 'notice-icon' }, svg(ICONS.missed)),
        el(
          'span',
          { class: 'notice-body' },
          el('span', { class: 'notice-title' }, 'Missed call', el('span', { class: 'notice-when', 'data-when': missed.sid })),
          callerIdNode(missed.from, 'caller-id notice-caller'),
        ),
      );
    }
  }
  for (const node of notice.querySelectorAll<HTMLElement>('[data-when]')) {
    const c = calls.find((x) => x.sid === node.dataset.when);
    if (c) node.textContent = when(c);
  }

  renderTexts(missed ? TEXT_LIMIT_BESIDE_MISSED : TEXT_LIMIT);
  renderRecents();
}

function renderCall(mode: Mode, call: SandboxCall | undefined, answer: Answer | undefined): void {
  if (!call) return;
  const codeLength = callerIdParts(call.from).code.length;
  callerSlot.replaceChildren(callerIdNode(call.from));
  callerSlot.dataset.sid = call.sid;
  incomingActions.hidden = mode !== 'incoming';
  afterActions.hidden = mode === 'incoming';
  transcript.hidden = mode === 'incoming';
  avatar.classList.toggle('still', mode !== 'incoming');
  if (mode === 'incoming') {
    callLabel.textContent = 'Incoming call';
    callHint.textContent = codeLength ? `Flash call: the last ${codeLength} digits are your code.` : 'Answer it to hear the code.';
    callHint.hidden = false;
    return;
  }
  callHint.hidden = true;
  if (answer === 'pending') {
    callLabel.textContent = 'Connecting…';
    spoken.replaceChildren(el('span', { class: 'muted', text: 'Listening…' }));
    rcml.textContent = '';
  } else if (typeof answer === 'object' && 'error' in answer) {
    callLabel.textContent = 'Call ended';
    spoken.replaceChildren(el('span', { class: 'muted', text: `The call could not be answered: ${answer.error}` }));
    rcml.textContent = '';
  } else if (answer) {
    callLabel.textContent = mode === 'talking' ? 'On call' : 'Call ended';
    spoken.replaceChildren(...highlightDigits(answer.spoken));
    rcml.textContent = answer.rcml;
  } else {
    callLabel.textContent = mode === 'talking' ? 'On call' : 'Call ended';
    spoken.replaceChildren(el('span', { class: 'muted', text: 'Answered elsewhere.' }));
    rcml.textContent = '';
  }
}

/** "Your code is 0, 1, 9, 0." with each spoken digit set apart, as on a call transcript. */
function highlightDigits(text: string): Array<Node | string> {
  const { sentence, times } = collapseRepeat(text.trim());
  // The run of digits ("0, 1, 9, 0") stays on one line, as it would be read.
  const parts: Array<Node | string> = `“${sentence}”`
    .split(/(\d(?:[,\s]+\d)*)/)
    .map((part, i) =>
      i % 2 === 1
        ? el(
            'span',
            { class: 'spoken-code' },
            ...part.split(/(\d)/).map((bit) => (/^\d$/.test(bit) ? el('mark', { class: 'spoken-digit', text: bit }) : bit)),
          )
        : part,
    );
  if (times > 1) parts.push(el('span', { class: 'repeat', text: ` said ${times === 2 ? 'twice' : `${times} times`}` }));
  return parts;
}

/** The call says the code more than once (`loop`); the transcript shows it once. */
function collapseRepeat(text: string): { sentence: string; times: number } {
  const sentences = text
    .match(/[^.!?]+[.!?]?/g)
    ?.map((s) => s.trim())
    .filter(Boolean) ?? [text];
  const first = sentences[0] ?? text;
  return sentences.every((s) => s === first) ? { sentence: first, times: sentences.length } : { sentence: text, times: 1 };
}

let shownTextsKey = '';

/** The newest texts as a lock screen shows them: sender, when, and the whole message, its codes marked. */
function renderTexts(limit: number): void {
  const shown = texts.slice(0, limit);
  textList.hidden = shown.length === 0;
  const key = `${shown.map((t) => t.sid).join('|')}|${partsLoaded()}`;
  if (key !== shownTextsKey) {
    shownTextsKey = key;
    textList.replaceChildren(
      ...shown.map((text) =>
        el(
          'li',
          { class: 'text', 'data-sid': text.sid },
          el('span', { class: 'notice-icon text-icon' }, svg(ICONS.message)),
          el(
            'span',
            { class: 'notice-body' },
            el('span', { class: 'notice-title' }, 'Message', el('span', { class: 'notice-when', 'data-text-when': text.sid })),
            el('span', { class: 'text-from', dir: 'ltr' }, el('span', { class: 'sr-only', text: 'from ' }), formatNumber(text.from)),
            // Line by line, each in its own direction: an Arabic first line must not turn the WebOTP line around.
            el(
              'span',
              { class: 'text-body' },
              text.body.split('\n').map((line) => el('span', { class: 'text-line', dir: 'auto' }, ...markCodes(line))),
            ),
          ),
        ),
      ),
    );
  }
  for (const node of textList.querySelectorAll<HTMLElement>('[data-text-when]')) {
    const text = texts.find((t) => t.sid === node.dataset.textWhen);
    if (text) node.textContent = ago(Date.parse(text.time));
  }
}

/** A text with each run of four to eight digits (a code) set apart. */
function markCodes(body: string): Array<Node | string> {
  return body.split(/(?<![\d])(\d{4,8})(?![\d])/).map((part, i) => (i % 2 === 1 ? el('mark', { class: 'text-code', text: part }) : part));
}

function renderRecents(): void {
  const recent = calls.slice(0, RECENT_LIMIT);
  const key = `${recent.map((c) => `${c.sid}:${outcome(c)}`).join('|')}|${partsLoaded()}`;
  recentEmpty.hidden = recent.length > 0;
  recentList.hidden = recent.length === 0;
  if (key !== shownRecentsKey) {
    shownRecentsKey = key;
    recentList.replaceChildren(
      ...recent.map((call) => {
        const kind = outcome(call);
        return el(
          'li',
          { class: `recent ${kind}`, 'data-sid': call.sid, 'data-outcome': kind },
          el(
            'span',
            { class: 'recent-icon' },
            svg(kind === 'declined' ? ICONS.declined : kind === 'missed' ? ICONS.missed : ICONS.incoming),
          ),
          el(
            'span',
            { class: 'recent-body' },
            // One thing a line, so nothing has to be cut to make room for the rest: the code, whom it was for, when.
            callerIdNode(call.from, 'caller-id recent-caller'),
            el('span', { class: 'recent-to' }, 'to ', el('span', { class: 'recent-number', dir: 'ltr', text: formatNumber(call.to) })),
            el('span', { class: 'recent-sub' }, OUTCOME_TEXT[kind], el('span', { 'data-when': call.sid })),
          ),
        );
      }),
    );
  }
  for (const node of recentList.querySelectorAll<HTMLElement>('[data-when]')) {
    const call = calls.find((c) => c.sid === node.dataset.when);
    const at = call ? when(call) : '';
    node.textContent = at ? ` · ${at}` : '';
  }
  // A tab stop while the calls overflow it, so keyboard users can scroll it too; none while all are in sight.
  if (recentList.scrollHeight > recentList.clientHeight + 1) recentList.tabIndex = 0;
  else recentList.removeAttribute('tabindex');
}

// ---- following the sandbox --------------------------------------------------------------------------------

let timer: ReturnType<typeof setTimeout> | undefined;
let polling = false;
let lastActivity = Date.now();

for (const type of ['pointerdown', 'keydown', 'input', 'focusin']) {
  document.addEventListener(
    type,
    () => {
      const wasIdle = Date.now() - lastActivity > ACTIVE_FOR_MS;
      lastActivity = Date.now();
      if (wasIdle) void poll();
    },
    { capture: true, passive: true },
  );
}

function nextPollIn(): number {
  const busy = calls.some((c) => LIVE.has(c.status) || c.status === 'in-progress') || [...answered.values()].includes('pending');
  return busy || Date.now() - lastActivity < ACTIVE_FOR_MS ? POLL_MS : IDLE_POLL_MS;
}

async function poll(): Promise<void> {
  if (polling) return;
  polling = true;
  clearTimeout(timer);
  try {
    const [callItems, textItems] = await Promise.all([listOf(CALLS_URL), listOf(MESSAGES_URL)]);
    calls = callItems as SandboxCall[];
    texts = textItems as SandboxText[];
    announceTexts();

    const before = pickedUp.size;
    for (const call of calls) if (call.status === 'in-progress') pickedUp.add(call.sid);
    if (pickedUp.size !== before) remember();
    online = true;
  } catch {
    online = false;
  } finally {
    polling = false;
  }
  render();
  // A number whose calling code's metadata was not in yet shows ungrouped until it arrives.
  void arrivals()?.then(render);
  // A hidden page stops asking; it catches up the moment it is shown again.
  if (!document.hidden) timer = setTimeout(() => void poll(), nextPollIn());
}

async function listOf(url: string): Promise<unknown[]> {
  const response = await fetch(url, { cache: 'no-store', signal: AbortSignal.timeout(4000) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const list: unknown = await response.json();
  return Array.isArray(list) ? (list as unknown[]) : [];
}

/** Texts that arrive while the page is open are read out; those already there when it opened are not. */
function announceTexts(): void {
  const fresh = textsSeen ? texts.filter((text) => !textsSeen!.has(text.sid)) : [];
  textsSeen = new Set(texts.map((text) => text.sid));
  const newest = fresh[0];
  if (newest) say(`Sandbox phone: text message from ${formatNumber(newest.from)}: ${newest.body.replace(/\s+/g, ' ')}`);
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden) void poll();
});

render();
void poll();
