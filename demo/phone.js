// The sandbox phone: a simulated handset that shows the emulator's calls. It reads the sandbox API only
// and knows nothing of the element, as a real phone knows nothing of the page.
const phone = document.getElementById('sandbox-phone');
const label = phone.querySelector('.call-label');
const callerId = phone.querySelector('.caller-id');
const hint = phone.querySelector('.call-hint');
const spoken = phone.querySelector('.spoken');
const answerButton = phone.querySelector('[data-action="answer"]');
const recents = phone.querySelector('.recents');

// The sandbox's caller IDs end in four code digits.
const CODE_DIGITS = 4;
const LIVE = new Set(['queued', 'ringing']);
let current = null;
const answered = new Map();

function groups(e164) {
  const known = e164.slice(0, -CODE_DIGITS);
  const code = e164.slice(-CODE_DIGITS);
  const national = known.replace(/^\+44/, '+44 ').replace(/^(\+44 )(\d{4})(\d*)/, '$1$2 $3');
  return { known: national.trim(), code };
}

function renderCallerId(target, e164) {
  const { known, code } = groups(e164);
  target.replaceChildren(
    Object.assign(document.createElement('span'), { className: 'known', textContent: `${known} ` }),
    Object.assign(document.createElement('mark'), { className: 'code', textContent: code }),
  );
  target.setAttribute('aria-label', `${known} ${code.split('').join(' ')}`);
}

function describe(call) {
  if (answered.has(call.sid)) return 'Answered';
  switch (call.status) {
    case 'queued':
    case 'ringing':
      return 'Ringing';
    case 'in-progress':
      return 'Answered';
    case 'busy':
      return 'Busy';
    case 'failed':
      return 'Unreachable';
    default:
      return 'Missed';
  }
}

function render(calls) {
  const newest = calls[0];
  if (!newest) {
    phone.dataset.state = 'idle';
    return;
  }
  current = newest;
  const live = LIVE.has(newest.status);
  const wasAnswered = answered.has(newest.sid) || newest.status === 'in-progress';
  phone.dataset.state = live ? 'ringing' : wasAnswered ? 'answered' : 'missed';
  label.textContent = live ? 'Incoming call' : wasAnswered ? 'Call ended' : 'Missed call';
  renderCallerId(callerId, newest.from);
  hint.textContent = wasAnswered
    ? 'The call read the code aloud.'
    : `The last ${CODE_DIGITS} digits of this number are your code.`;
  answerButton.hidden = !live;
  const words = answered.get(newest.sid);
  spoken.hidden = !words;
  spoken.textContent = words ? `“${words}”` : '';

  recents.replaceChildren(
    ...calls.slice(0, 5).map((call) => {
      const item = document.createElement('li');
      const number = document.createElement('span');
      number.className = 'recent-number';
      renderCallerId(number, call.from);
      const meta = document.createElement('span');
      meta.className = 'recent-meta';
      const when = new Date(call.dateCreated);
      meta.textContent = `${describe(call)} · ${when.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })}`;
      item.append(number, meta);
      return item;
    }),
  );
}

async function poll() {
  try {
    const response = await fetch('/sandbox/calls', { cache: 'no-store' });
    if (response.ok) render(await response.json());
  } catch {
    // The server restarting is no reason to stop watching.
  }
  setTimeout(poll, document.hidden ? 2000 : 400);
}

answerButton.addEventListener('click', async () => {
  if (!current) return;
  answerButton.disabled = true;
  try {
    const response = await fetch(`/sandbox/calls/${encodeURIComponent(current.sid)}/answer`, { method: 'POST' });
    const body = await response.json();
    if (response.ok) answered.set(current.sid, body.spoken);
  } finally {
    answerButton.disabled = false;
  }
});

// Conveniences of the demo page itself.
document.querySelector('.sample')?.addEventListener('click', async (event) => {
  const element = document.querySelector('flash-call-verify');
  const input = element?.shadowRoot?.querySelector('input[type="tel"]');
  if (!input) return;
  input.value = event.currentTarget.dataset.number;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  input.focus();
});

for (const button of document.querySelectorAll('[data-copy]')) {
  button.addEventListener('click', async () => {
    const card = button.closest('.snippet');
    const visible = [...card.querySelectorAll('pre')].find((pre) => !pre.hidden);
    await navigator.clipboard?.writeText(visible.textContent);
    button.textContent = 'Copied';
    setTimeout(() => (button.textContent = 'Copy'), 1500);
  });
}

for (const tab of document.querySelectorAll('[role="tab"]')) {
  tab.addEventListener('click', () => {
    for (const other of tab.parentElement.querySelectorAll('[role="tab"]')) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      document.getElementById(other.getAttribute('aria-controls')).hidden = !selected;
    }
  });
}

poll();
