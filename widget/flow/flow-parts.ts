/**
 * What the flow needs once a number is submitted, imported after the first paint: the HTTP client, the call
 * follower, and the views of the states after the call was placed, with the code boxes. Bundlers of the npm
 * package make it a chunk of its own; the prebuilt widget.js carries it in the flow's one chunk.
 */
import { ApiError } from './api.js';
import type { FlowError } from './flow-state.js';

export { ApiClient, ApiError } from './api.js';
export { followSession } from './event-stream.js';
export { FlowView, flowViewStyles } from './flow-view.js';

/** A failed request as the flow sees it; anything but an answer from the server is the network's fault. */
export function toFlowError(error: unknown): FlowError {
  if (error instanceof ApiError) {
    return {
      code: error.code,
      retryable: error.retryable,
      retryAt: error.extra.retryAfter !== undefined ? Date.now() + error.extra.retryAfter * 1000 : undefined,
      limit: error.extra.limit,
    };
  }
  return { code: 'network', retryable: true };
}
