/**
 * The server as a library: mount `createApp` in your own Hono app, or start the whole thing with
 * `startServer`. The store and the provider are yours to choose. The sandbox is `flash-call-verify/sandbox`.
 */
export { createApp, createFlashCallApp } from './app.js';
export type { AppOptions, FlashCallApp } from './app.js';
export { startServer } from './serve.js';
export type { ListeningServer, RunningServer, ServerExtension, StartServerOptions } from './serve.js';
export { ConfigError, DEFAULT_LIMITS, DEFAULT_SITEVERIFY_LIMIT, SANDBOX_SITE, loadConfig } from './config.js';
export type {
  Config,
  ConfigWarning,
  Env,
  LimitRule,
  LimitScope,
  MetricsConfig,
  RestcommConfig,
  SiteConfig,
  SiteverifyLimit,
} from './config.js';

export { MemoryStore } from './store/memory.js';
export { DEFAULT_KEY_PREFIX, RedisStore } from './store/redis.js';
export type { RedisStoreOptions } from './store/redis.js';
export { StoreUnavailableError } from './store/store.js';
export type { Store, TokenRecord, Unsubscribe } from './store/store.js';

export { createRestcommProvider } from './restcomm/driver.js';
export type { RestcommProviderOptions } from './restcomm/driver.js';
export { ProviderError } from './telephony/provider.js';
export type {
  CallProgress,
  CallStatusEvent,
  PlaceCallRequest,
  PlacedCall,
  ProviderErrorDetails,
  SendSmsRequest,
  SentSms,
  TelephonyProvider,
} from './telephony/provider.js';
export { fitsOneSms, smsLength, smsText, SmsTooLongError } from './telephony/sms-text.js';
export type { SmsEncoding, SmsLength, SmsTextOptions } from './telephony/sms-text.js';

export { createMetrics, metricsRoutes, Counter, Gauge, Histogram, Registry } from './metrics/index.js';
export type { FlashCallMetrics, MetricsRoutesOptions } from './metrics/index.js';
export { openApiDocument } from './openapi.js';
export { HttpProblem, PROBLEM_CODES } from './errors.js';
export type { ProblemCode } from './errors.js';
export { jsonLogger, silentLogger } from './log.js';
export type { Logger, LogLevel } from './log.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { cryptoRandom } from './random.js';
export type { Random } from './random.js';
export type { VerificationService, CheckResult, SiteverifyResult } from './verification/service.js';
export type { PublicSession } from './verification/view.js';
export type { SessionStatus } from './verification/session.js';
export { VERSION } from './version.js';
