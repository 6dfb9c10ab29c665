import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Clock } from '../clock.js';
import { responseHeadersOf } from '../http/response.js';
import { TERMINAL_STATUSES } from '../verification/session.js';
import type { PublicSession } from '../verification/view.js';
import type { VerificationService } from '../verification/service.js';

export interface SessionEventsOptions {
  service: VerificationService;
  clock: Clock;
  /** How often every open stream gets a comment, so proxies keep it open. */
  heartbeatMs: number;
  /** Aborted when the server shuts down: every stream ends cleanly instead of being cut. */
  shutdown?: AbortSignal;
}

/** One open stream: where its bytes go, and the last status it was sent. */
interface Stream {
  readonly group: Group;
  /** The status data last sent, shared with the other streams of its group that were sent the same. */
  sent: string;
  write(chunk: string): void;
  end(): void;
  /** Whether the connection is already gone. */
  closed(): boolean;
}

/** The open streams of one session seen from one origin: one store subscription and one read per change for all. */
interface Group {
  readonly key: string;
  readonly id: string;
  readonly origin: string | undefined;
  readonly streams: Set<Stream>;
  /** Streams still reading their first view, which keep the group (and its subscription) alive. */
  opening: number;
  /** Counts notifications, so a stream whose first read raced one knows to read again. */
  changes: number;
  reading: boolean;
  readAgain: boolean;
  /** The second in which the session expires, and so changes status with no write to announce it. */
  expirySecond: number;
  unsubscribe: () => void;
}

const HEADERS = { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' } as const;
const KEEP_ALIVE = ': keep-alive\n\n';
/** How often expiries are looked for: a session's `expired` event is sent within a second of its expiry. */
const TICK_MS = 1000;

/**
 * Every open event stream of this instance. Streams of the same session share one store subscription and
 * one read of the session per change, whatever their number; one timer sends every heartbeat and notices
 * every expiry. A stream costs little more than its connection: on Node it is written straight to the
 * response, without web streams, a promise or a timer of its own. Elsewhere (`app.request`, other
 * runtimes) it is a plain `ReadableStream`.
 */
export class SessionEvents {
  readonly #options: SessionEventsOptions;
  readonly #groups = new Map<string, Group>();
  /** Groups by the second their session expires. */
  readonly #expiries = new Map<number, Set<Group>>();
  readonly #byResponse = new Map<ServerResponse, NodeStream>();
  /** One listener for every response's 'close', so a stream needs no closure of its own. */
  readonly #onResponseClose: (this: ServerResponse) => void;
  #timer: ReturnType<typeof setInterval> | undefined;
  #lastBeat = 0;

  constructor(options: SessionEventsOptions) {
    this.#options = options;
    const byResponse = this.#byResponse;
    const leave = (stream: Stream) => this.#leave(stream);
    this.#onResponseClose = function (this: ServerResponse) {
      const stream = byResponse.get(this);
      if (stream) leave(stream);
    };
    options.shutdown?.addEventListener('abort', () => {
      for (const group of [...this.#groups.values()]) this.#endGroup(group);
    });
  }

  /** Answers a request for a session's events: a 404 or 403 problem is thrown before the stream starts. */
  async open(c: Context, id: string, origin: string | undefined): Promise<Response> {
    // Listen before the first read, so no change can fall between the two.
    const group = this.#join(id, origin);
    const changesBefore = group.changes;
    let view: PublicSession;
    group.opening++;
    try {
      view = await this.#options.service.get(id, origin);
    } catch (error) {
      group.opening--;
      this.#leaveIfIdle(group);
      throw error;
    }
    group.opening--;

    const headers = { ...responseHeadersOf(c), ...HEADERS };
    c.set('responseHeadersSent', true);
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    let stream: Stream;
    let response: Response;
    if (outgoing) {
      outgoing.writeHead(200, headers);
      flattenHeaderBlock(outgoing);
      stream = new NodeStream(group, outgoing);
      response = RESPONSE_ALREADY_SENT;
    } else {
      const web = new WebStream(group, (closed) => this.#leave(closed));
      stream = web;
      response = new Response(web.body, { status: 200, headers });
    }
    stream.sent = JSON.stringify(view);
    stream.write(event(stream.sent));
    if (TERMINAL_STATUSES.has(view.status) || this.#options.shutdown?.aborted || stream.closed()) {
      stream.end();
      this.#leaveIfIdle(group);
      return response;
    }
    if (stream instanceof NodeStream) {
      this.#byResponse.set(stream.response, stream);
      stream.response.on('close', this.#onResponseClose);
    }
    group.streams.add(stream);
    this.#expiresAt(group, view);
    this.#timer ??= setInterval(() => this.#tick(), Math.min(TICK_MS, this.#options.heartbeatMs));
    // A change landed while the first view was being read: read again so this stream does not miss it.
    if (group.changes !== changesBefore) this.#refresh(group);
    return response;
  }

  #join(id: string, origin: string | undefined): Group {
    const key = `${id}\n${origin ?? ''}`;
    const existing = this.#groups.get(key);
    if (existing) return existing;
    const group: Group = {
      key,
      id,
      origin,
      streams: new Set(),
      opening: 0,
      changes: 0,
      reading: false,
      readAgain: false,
      expirySecond: 0,
      unsubscribe: () => {},
    };
    group.unsubscribe = this.#options.service.subscribe(id, () => {
      group.changes++;
      this.#refresh(group);
    });
    this.#groups.set(key, group);
    return group;
  }

  #leave(stream: Stream): void {
    if (stream instanceof NodeStream) this.#byResponse.delete(stream.response);
    if (stream.group.streams.delete(stream)) this.#leaveIfIdle(stream.group);
  }

  #leaveIfIdle(group: Group): void {
    if (group.streams.size > 0 || group.opening > 0 || this.#groups.get(group.key) !== group) return;
    this.#groups.delete(group.key);
    group.unsubscribe();
    this.#expiries.get(group.expirySecond)?.delete(group);
    if (this.#groups.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #expiresAt(group: Group, view: PublicSession): void {
    const second = Math.ceil(Date.parse(view.expiresAt) / 1000);
    if (second === group.expirySecond) return;
    this.#expiries.get(group.expirySecond)?.delete(group);
    group.expirySecond = second;
    let due = this.#expiries.get(second);
    if (!due) this.#expiries.set(second, (due = new Set()));
    due.add(group);
  }

  /** Re-reads the sessions whose expiry has passed, and sends the heartbeats when they are due. */
  #tick(): void {
    const now = this.#options.clock.now();
    for (const [second, groups] of this.#expiries) {
      if (second * 1000 > now) continue;
      this.#expiries.delete(second);
      for (const group of groups) {
        group.expirySecond = 0;
        this.#refresh(group);
      }
    }
    const wall = Date.now();
    if (wall - this.#lastBeat < this.#options.heartbeatMs) return;
    if (this.#lastBeat !== 0) for (const group of this.#groups.values()) for (const stream of group.streams) stream.write(KEEP_ALIVE);
    this.#lastBeat = wall;
  }

  /** Reads the session once and sends it to every stream of the group that has not seen it; one read at a time. */
  #refresh(group: Group): void {
    if (group.reading) {
      group.readAgain = true;
      return;
    }
    if (group.streams.size === 0) return;
    group.reading = true;
    this.#options.service.get(group.id, group.origin).then(
      (view) => {
        group.reading = false;
        const data = JSON.stringify(view);
        const frame = event(data);
        for (const stream of group.streams) {
          if (stream.sent === data) continue;
          stream.sent = data;
          stream.write(frame);
        }
        if (TERMINAL_STATUSES.has(view.status)) return this.#endGroup(group);
        this.#expiresAt(group, view);
        if (group.readAgain) {
          group.readAgain = false;
          this.#refresh(group);
        }
      },
      () => {
        // Gone, refused, or the store is unreachable: end the streams; clients fall back to polling, which answers.
        group.reading = false;
        this.#endGroup(group);
      },
    );
  }

  #endGroup(group: Group): void {
    for (const stream of [...group.streams]) {
      stream.end();
      this.#leave(stream);
    }
    this.#leaveIfIdle(group);
  }
}

/**
 * Node builds the header block by appending one piece at a time and keeps it for the response's life: a
 * chain of some fifty string pieces per open stream. Converting it to a number makes V8 flatten it in
 * place into one string (the result of the conversion is thrown away).
 */
function flattenHeaderBlock(response: ServerResponse): void {
  const block = (response as unknown as { _header?: unknown })._header;
  if (typeof block === 'string') void Number(block);
}

function event(data: string): string {
  return `event: status\ndata: ${data}\n\n`;
}

/** Written straight to Node's response: no web streams, no promise per write, no closure per stream. */
class NodeStream implements Stream {
  sent = '';
  constructor(
    readonly group: Group,
    readonly response: ServerResponse,
  ) {}
  write(chunk: string): void {
    if (!this.response.writableEnded) this.response.write(chunk);
  }
  end(): void {
    if (!this.response.writableEnded) this.response.end();
  }
  closed(): boolean {
    return this.response.destroyed;
  }
}

class WebStream implements Stream {
  sent = '';
  readonly body: ReadableStream<Uint8Array>;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #ended = false;
  readonly #encoder = new TextEncoder();
  constructor(
    readonly group: Group,
    onCancel: (stream: WebStream) => void,
  ) {
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => void (this.#controller = controller),
      cancel: () => {
        this.#ended = true;
        onCancel(this);
      },
    });
  }
  write(chunk: string): void {
    if (!this.#ended) this.#controller.enqueue(this.#encoder.encode(chunk));
  }
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#controller.close();
  }
  closed(): boolean {
    return this.#ended;
  }
}
