import type { ApiClient, SessionView } from './api.js';
import { ApiError } from './api.js';

const TERMINAL = new Set(['verified', 'expired', 'locked', 'failed']);

export interface FollowOptions {
  onStatus(view: SessionView): void;
  /** A failure that following cannot get past (the session is gone). */
  onError(error: ApiError): void;
  signal: AbortSignal;
  pollMs?: number;
}

/**
 * Follows a session's progress until it ends or `signal` aborts: Server-Sent Events where they work,
 * polling where they don't (no EventSource, a proxy that buffers or refuses the stream).
 * The server sends the current status as the first event, so nothing is missed between start and stream.
 */
export function followSession(api: ApiClient, id: string, options: FollowOptions): void {
  const { signal } = options;
  if (signal.aborted) return;
  if (typeof EventSource !== 'function') {
    poll(api, id, options);
    return;
  }
  const source = new EventSource(api.eventsUrl(id));
  let failures = 0;
  const stop = () => source.close();
  signal.addEventListener('abort', stop, { once: true });
  source.addEventListener('status', (event) => {
    failures = 0;
    let view: SessionView;
    try {
      view = JSON.parse((event as MessageEvent<string>).data) as SessionView;
    } catch {
      return;
    }
    if (TERMINAL.has(view.status)) stop();
    options.onStatus(view);
  });
  source.addEventListener('error', () => {
    // EventSource retries by itself after a dropped connection; a refused stream (CLOSED), or one that
    // keeps failing, is handed over to polling, which also reports a 404 properly.
    if (source.readyState === EventSource.CLOSED || ++failures >= 3) {
      stop();
      signal.removeEventListener('abort', stop);
      poll(api, id, options);
    }
  });
}

function poll(api: ApiClient, id: string, options: FollowOptions): void {
  const { signal } = options;
  const interval = options.pollMs ?? 2000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = interval;
  const tick = async () => {
    try {
      const view = await api.status(id, signal);
      delay = interval;
      options.onStatus(view);
      if (TERMINAL.has(view.status)) return;
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof ApiError && !error.retryable) {
        options.onError(error);
        return;
      }
      delay = Math.min(delay * 2, 30_000);
    }
    if (!signal.aborted) timer = setTimeout(() => void tick(), delay);
  };
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  void tick();
}
