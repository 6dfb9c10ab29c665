import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { HttpProblem } from '../errors.js';
import type { Logger } from '../log.js';
import { StoreUnavailableError } from '../store/store.js';
import { sendJson } from './response.js';

/** A problem is about one request at one moment: no cache may keep it, least of all a missing chunk of widget.js. */
export function problemResponse(c: Context, problem: HttpProblem): Response {
  return sendJson(c, problem, problem.status, {
    'Cache-Control': 'no-store',
    ...problem.headers,
    'Content-Type': 'application/problem+json',
  });
}

/** The one place errors become answers: known problems as they are, everything else without internals. */
export function problemErrorHandler(log: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof HttpProblem) return problemResponse(c, error);
    if (error instanceof StoreUnavailableError) {
      log('error', 'store.unavailable', { path: c.req.path, reason: error.message });
      return problemResponse(c, new HttpProblem(503, 'store_unavailable', undefined, {}, { 'Retry-After': '5' }));
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code = error.status === 413 ? 'payload_too_large' : error.status === 404 ? 'not_found' : 'invalid_request';
      return problemResponse(c, new HttpProblem(error.status, code));
    }
    log('error', 'request.failed', { path: c.req.path, error: error instanceof Error ? error.name : typeof error, reason: String(error) });
    return problemResponse(c, new HttpProblem(500, 'internal_error'));
  };
}

export const problemNotFound: NotFoundHandler = (c) => problemResponse(c, new HttpProblem(404, 'not_found'));
