/**
 * What the element needs only once a number is submitted: the HTTP client and the progress follower.
 * A chunk of its own, fetched after the first paint, so it stays out of the first render's bytes.
 */
import { ApiError } from './api.js';
import type { FlowError } from './flow-state.js';

export { ApiClient, ApiError, isRetryable } from './api.js';
export { followSession } from './progress.js';

/** A failed request as the flow sees it; anything but an answer from the server is the network's fault. */
export function toFlowError(error: unknown): FlowError {
  if (error instanceof ApiError) {
    return {
      code: error.code,
      retryable: error.retryable,
      retryAt: error.extra.retryAfter !== undefined ? Date.now() + error.extra.retryAfter * 1000 : undefined,
    };
  }
  return { code: 'network', retryable: true };
}
