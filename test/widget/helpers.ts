import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import type { html } from '@open-wc/testing';
import { fixture, waitUntil as waitUntilWithin } from '@open-wc/testing';
import '../../widget/define.js';
import type { FlashCallVerify } from '../../widget/flash-call-verify.js';

/**
 * `waitUntil` with room for a busy machine: five seconds unless told, where open-wc's default of one second
 * fails on a loaded CI runner before the element has done anything wrong.
 */
export function waitUntil(
  predicate: () => unknown,
  message?: string,
  options: { timeout?: number; interval?: number } = {},
): Promise<void> {
  return waitUntilWithin(predicate, message, { timeout: 5000, ...options });
}

export interface SandboxCall {
  sid: string;
  from: string;
  to: string;
  status: string;
}

/**
 * Starts a real sandbox server (Hono app and Restcomm emulator) for one test; returns its URL. With `digits`, its
 * random digits are those, over and over: a code it sends is made of them.
 */
export async function startSandbox(env: Record<string, string> = {}, digits?: string): Promise<string> {
  const { url } = await executeServerCommand<{ url: string }, unknown>('sandbox:start', { env, digits });
  return url;
}

export function stopSandbox(url: string): Promise<unknown> {
  return executeServerCommand('sandbox:stop', { url });
}

/** Moves the server's clock forward; the browser's stays put. */
export function advanceServerClock(url: string, ms: number): Promise<unknown> {
  return executeServerCommand('sandbox:advance', { url, ms });
}

/** A POST from the site's backend to the sandbox, server to server. */
export function backendPost<T = Record<string, unknown>>(url: string, path: string, body: unknown): Promise<{ status: number; body: T }> {
  return executeServerCommand<{ status: number; body: T }, unknown>('sandbox:backend', { url, path, body });
}

/** A challenge for `phone`, as the site's backend creates it with the sandbox's secret. */
export async function createChallenge(url: string, phone: string, fields: Record<string, unknown> = {}): Promise<string> {
  const { status, body } = await backendPost<{ challenge: string }>(url, '/v1/challenges', {
    secret: 'sk_sandbox',
    phone,
    action: 'payment',
    ...fields,
  });
  if (status !== 201) throw new Error(`challenge refused: ${JSON.stringify(body)}`);
  return body.challenge;
}

export function sandboxCalls(url: string): Promise<SandboxCall[]> {
  return executeServerCommand<SandboxCall[], unknown>('sandbox:calls', { url });
}

/** The newest call placed to `to` (E.164), waiting for it to appear. */
export async function callTo(url: string, to: string, notSid?: string): Promise<SandboxCall> {
  let found: SandboxCall | undefined;
  await waitUntil(
    async () => {
      found = (await sandboxCalls(url)).find((c) => c.to === to && c.sid !== notSid);
      return !!found;
    },
    `no sandbox call to ${to}`,
    { timeout: 8000, interval: 100 },
  );
  return found!;
}

export interface SandboxText {
  sid: string;
  from: string;
  to: string;
  body: string;
}

/** The newest text sent to `to` (E.164), waiting for it to appear. */
export async function textTo(url: string, to: string): Promise<SandboxText> {
  let found: SandboxText | undefined;
  await waitUntil(
    async () => {
      found = (await executeServerCommand<SandboxText[], unknown>('sandbox:messages', { url })).find((t) => t.to === to);
      return !!found;
    },
    `no sandbox text to ${to}`,
    { timeout: 8000, interval: 100 },
  );
  return found!;
}

/** The code of a text: its last line is the WebOTP line `@host #code`. */
export function textCode(text: SandboxText): string {
  return /#(\d+)\s*$/.exec(text.body)![1]!;
}

/** Picks up a ringing sandbox call and returns the words it says. */
export async function answerCall(url: string, sid: string): Promise<string> {
  const { spoken } = await executeServerCommand<{ spoken: string }, unknown>('sandbox:answer', { url, sid });
  return spoken;
}

/** Renders a template and returns the element in it (the template may wrap it, e.g. in a `lang` or `dir` container). */
export async function mount(template: ReturnType<typeof html>): Promise<FlashCallVerify> {
  const root = await fixture<HTMLElement>(template);
  const el = (root.localName === 'flash-call-verify' ? root : root.querySelector('flash-call-verify')) as FlashCallVerify;
  await el.phoneReady;
  await el.updateComplete;
  return el;
}

export function $(el: FlashCallVerify, selector: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selector);
}

export function $$(el: FlashCallVerify, selector: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(selector)];
}

export function phoneInput(el: FlashCallVerify): HTMLInputElement {
  return $(el, 'input[type="tel"]') as HTMLInputElement;
}

export function digitInputs(el: FlashCallVerify): HTMLInputElement[] {
  return $$(el, 'input.digit') as HTMLInputElement[];
}

/** The visible message line, whitespace collapsed. */
export function message(el: FlashCallVerify): string {
  return ($(el, '[part~="message"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** What the country button shows: flag and dial code. */
export function countryButtonText(el: FlashCallVerify): string {
  return ($(el, '[part~="country-button"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The flag on the country button, once it draws one: after the popup's chunk has checked how flags are drawn here. */
export async function buttonFlag(el: FlashCallVerify): Promise<string> {
  const flag = () => $(el, '[part~="country-button"] .flag')?.textContent ?? '';
  await waitUntil(flag, 'the country button drew no flag', { timeout: 4000 });
  return flag();
}

export async function waitForState(el: FlashCallVerify, state: string, timeout = 8000): Promise<void> {
  await waitUntil(() => el.state === state, `state stayed ${el.state}, expected ${state}`, { timeout, interval: 25 });
  await el.updateComplete;
}

/** Types with real key presses into whatever has focus. */
export async function type(text: string): Promise<void> {
  await sendKeys({ type: text });
}

export async function press(key: string): Promise<void> {
  await sendKeys({ press: key });
}

/**
 * Waits until the number field shows `text`. A number of a calling code whose metadata is not in yet shows
 * as typed and is formatted when it arrives.
 */
export async function phoneShows(el: FlashCallVerify, text: string): Promise<void> {
  await waitUntil(
    () => phoneInput(el).value === text,
    `the number field shows ${JSON.stringify(phoneInput(el).value)}, not ${JSON.stringify(text)}`,
    {
      timeout: 4000,
      interval: 10,
    },
  );
  await el.updateComplete;
}

/** Waits for the country popup, which opens once its chunk is in (at once when it already is). */
export async function pickerOpens(el: FlashCallVerify): Promise<void> {
  await waitUntil(() => $(el, '[role="combobox"]'), 'the country popup did not open', { timeout: 4000, interval: 10 });
  await el.updateComplete;
}

/** Clicks the country button and waits for its popup. */
export async function openPicker(el: FlashCallVerify): Promise<void> {
  ($(el, '[part~="country-button"]') as HTMLButtonElement).click();
  await pickerOpens(el);
}

/** Holds back (or fails) the module served at `path` until `releaseChunk(path)`. */
export function holdChunk(path: string, mode: 'hold' | 'fail' = 'hold'): Promise<unknown> {
  return executeServerCommand(mode === 'hold' ? 'chunks:hold' : 'chunks:fail', { path });
}

export function releaseChunk(path: string): Promise<unknown> {
  return executeServerCommand('chunks:release', { path });
}

/** Where the browser tests serve the metadata of one calling code (see web-test-runner.config.js). */
export function metadataPath(callingCode: string): string {
  return `/__fcv-metadata/${callingCode}.js`;
}

/** Focuses the number field and types a national number the way a person would. */
export async function typeNumber(el: FlashCallVerify, digits: string): Promise<void> {
  phoneInput(el).focus();
  await type(digits);
  await el.updateComplete;
}

/** Pastes text into an input as the clipboard would deliver it. */
export function paste(input: HTMLInputElement, text: string): void {
  const data = new DataTransfer();
  data.setData('text/plain', text);
  input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
}

/** What browser autofill does: set the value and fire a bare input event. */
export function autofill(input: HTMLInputElement, text: string): void {
  input.value = text;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

/** Presses Verify and waits until the code boxes are up; returns the code the sandbox call carries. */
export async function startVerification(el: FlashCallVerify, url: string, e164: string): Promise<{ code: string; call: SandboxCall }> {
  ($(el, '[part~="verify-button"]') as HTMLButtonElement).click();
  await waitUntil(() => el.state === 'calling' || el.state === 'ringing', `state ${el.state}`, { timeout: 8000 });
  await el.updateComplete;
  const call = await callTo(url, e164);
  const n = digitInputs(el).length;
  return { code: call.from.slice(-n), call };
}

export async function typeCode(el: FlashCallVerify, code: string): Promise<void> {
  digitInputs(el)[0]!.focus();
  await type(code);
}

/** A valid UK mobile number (the server accepts only callable numbers). */
export const UK_MOBILE = { e164: '+447400123456', national: '07400 123456', digits: '07400123456', international: '+44 7400 123456' };

/** A code of the same length that is not `code`: its last digit moved on by one. */
export const wrongOf = (code: string): string => code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
