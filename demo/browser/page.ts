// The documentation half of the demo page: copy buttons, the language tabs, room for the sticky top bar, and the
// picker of the element's language. The signup form works without this file.

// The element follows its `lang` attribute live: a language not shown yet is fetched, then the control switches.
const languagePicker = document.querySelector<HTMLSelectElement>('select[data-element-lang]');
const element = document.querySelector('flash-call-verify');
if (languagePicker && element) {
  languagePicker.addEventListener('change', () => element.setAttribute('lang', languagePicker.value));
}

// The top bar grows while the sandbox phone's banner shows in it; whatever scrolls into view clears it.
const topbar = document.querySelector('.topbar');
if (topbar && 'ResizeObserver' in window) {
  new ResizeObserver(() => {
    document.documentElement.style.setProperty('--topbar-height', `${topbar.getBoundingClientRect().height}px`);
  }).observe(topbar);
}

// The demo's channel picker names the element's first channel; the element offers the others if the code does not arrive.
const verifier = document.querySelector('flash-call-verify');
for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="demo-channel"]')) {
  if (radio.checked) verifier?.setAttribute('channel', radio.value);
  radio.addEventListener('change', () => {
    if (radio.checked) verifier?.setAttribute('channel', radio.value);
  });
}

for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
  button.addEventListener('click', () => void copy(button));
}

async function copy(button: HTMLButtonElement): Promise<void> {
  const code = document.getElementById(button.dataset.copy ?? '');
  if (!code) return;
  try {
    await navigator.clipboard.writeText(code.textContent ?? '');
    flash(button, 'Copied');
  } catch {
    // No clipboard permission (an insecure origin, say): select the text so Ctrl+C does it.
    const range = document.createRange();
    range.selectNodeContents(code);
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    flash(button, 'Press Ctrl+C');
  }
}

function flash(button: HTMLButtonElement, text: string): void {
  const label = button.dataset.label ?? button.textContent ?? '';
  button.dataset.label = label;
  button.textContent = text;
  button.classList.add('done');
  clearTimeout(Number(button.dataset.timer));
  button.dataset.timer = String(
    setTimeout(() => {
      button.textContent = label;
      button.classList.remove('done');
    }, 1600),
  );
}

// Tabs as the WAI-ARIA pattern has them: one tab stop, arrows move between tabs, selection follows focus.
for (const tabs of document.querySelectorAll<HTMLElement>('[data-tabs]')) {
  const list = [...tabs.querySelectorAll<HTMLElement>('[role="tab"]')];
  const select = (tab: HTMLElement, focus: boolean): void => {
    for (const other of list) {
      const selected = other === tab;
      other.setAttribute('aria-selected', String(selected));
      other.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(other.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !selected;
    }
    if (focus) tab.focus();
  };
  for (const [index, tab] of list.entries()) {
    tab.addEventListener('click', () => select(tab, false));
    tab.addEventListener('keydown', (event) => {
      const step = ({ ArrowRight: 1, ArrowLeft: -1 } as Record<string, number>)[event.key];
      if (step) {
        event.preventDefault();
        select(list[(index + step + list.length) % list.length]!, true);
      } else if (event.key === 'Home' || event.key === 'End') {
        event.preventDefault();
        select(list[event.key === 'Home' ? 0 : list.length - 1]!, true);
      }
    });
  }
}
