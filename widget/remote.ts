/**
 * What the element needs only once a number is submitted: the HTTP client and the progress follower.
 * A chunk of its own, fetched after the first paint, so it stays out of the first render's bytes.
 */
export { ApiClient, ApiError, isRetryable } from './api.js';
export { followSession } from './progress.js';
