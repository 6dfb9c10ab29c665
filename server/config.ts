import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import type { Random } from './random.js';
import { cryptoRandom } from './random.js';
import { CHANNEL_NAMES } from './schemas.js';
import { isOriginPattern } from './verification/origins.js';

export interface SiteConfig {
  siteKey: string;
  secret: string;
  /** Exact origins, or patterns with `*` for any port (`http://localhost:*`) or any subdomain (`https://*.shop.example`). */
  origins: string[];
  /** ISO 3166 alpha-2 allowlist; absent means every country. */
  countries?: string[];
  /** BCP 47 locale for the spoken code when the page does not say. */
  locale?: string;
  /** Replaces the default limits for this site's requests. */
  limits?: LimitRule[];
  /** Destinations of the built-in toll-fraud deny list that this site does serve. */
  allowHighRiskCountries?: string[];
  /** Log what the number policy and limits would refuse, without refusing: for tuning before enforcing. */
  dryRun?: boolean;
  /** Refuse numbers typed in the page: this site verifies only numbers its backend names in a challenge. */
  requireChallenge?: boolean;
  /**
   * The channels the site allows, in the order the element offers them; the first is the default. Absent: every
   * channel this server can use (flash, then voice with `FCV_VOICE_CALLER_ID`, then SMS with `FCV_SMS_FROM`).
   */
  channels?: Channel[];
  /** Replaces the default per-channel daily caps for this site. */
  dailyCaps?: Partial<Record<Channel, number>>;
}

/**
 * How a code reaches the phone: `flash`, the last digits of a caller ID; `voice`, a call that says it; `sms`,
 * a text message.
 */
export type Channel = (typeof CHANNEL_NAMES)[number];
export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;

/**
 * Codes each channel may send per site per day, whatever the other limits allow. SMS pumping (texts to
 * numbers that pay their owner) is the commonest toll fraud, so the costly channels are capped lowest.
 */
export const DEFAULT_DAILY_CAPS: Readonly<Record<Channel, number>> = { flash: 10_000, voice: 1_000, sms: 1_000 };

/**
 * What a limit counts against: a number (`phone`, shared by every site), a client address (`ip`, IPv6 by its
 * /64), the site, the site and destination country, or the site and a block of numbers (`prefix`: the E.164
 * number without its last three digits, so a thousand consecutive numbers are one block).
 */
export type LimitScope = 'phone' | 'ip' | 'site' | 'site-country' | 'prefix';

export interface LimitRule {
  scope: LimitScope;
  max: number;
  windowSeconds: number;
}

const LIMIT_SCOPES: readonly LimitScope[] = ['phone', 'ip', 'site', 'site-country', 'prefix'];

/** Wrong siteverify secrets one client address may send in a window before it is answered 429. */
export interface SiteverifyLimit {
  max: number;
  windowSeconds: number;
}

/** Something that works but weakens the deployment: logged at start, never silent. */
export interface ConfigWarning {
  variable: string;
  message: string;
}

export interface RestcommConfig {
  baseUrl: string;
  accountSid: string;
  authToken: string;
}

export interface MetricsConfig {
  enabled: boolean;
  /** The private listener for `/metrics`; null when metrics are served only on the main port, behind `token`. */
  port: number | null;
  host: string;
  /** When set, `/metrics` is also served on the main port to requests bearing this token. */
  token?: string;
}

export interface Config {
  mode: 'sandbox' | 'production';
  port: number;
  /** The listening address; the sandbox's is loopback unless `HOST` says otherwise. Absent: all interfaces. */
  host?: string;
  /** Base of the hook URLs the provider calls back. */
  publicUrl: string;
  /** Null in sandbox mode: the emulator's generated credentials are used instead. */
  restcomm: RestcommConfig | null;
  callerIds: string[];
  /** The fixed caller ID of voice-channel calls; absent: no voice channel. */
  voiceCallerId?: string;
  /** How long a voice-channel call rings: it is meant to be answered. */
  voiceRingSeconds: number;
  /** The sender of SMS codes (E.164 or an alphanumeric sender ID); absent: no SMS channel. */
  smsFrom?: string;
  /** Per site and day, unless the site sets its own. */
  dailyCaps: Record<Channel, number>;
  sites: SiteConfig[];
  /** HMAC key for codes and tokens. */
  secret: Uint8Array;
  redisUrl?: string;
  /** Seed nodes (`host:port`) of a Redis Cluster, used instead of `redisUrl`. */
  redisClusterNodes?: string[];
  /** Prefix of every Redis key, so several deployments can share one Redis. */
  redisKeyPrefix?: string;
  ringSeconds: number;
  ttlSeconds: number;
  resendSeconds: number;
  maxAttempts: number;
  tokenTtlSeconds: number;
  limits: LimitRule[];
  /** Peers whose `X-Forwarded-For` is believed: addresses or CIDR ranges of the site's own proxies. */
  trustedProxies: string[];
  bodyLimitBytes: number;
  /** Absent means off. */
  metrics?: MetricsConfig;
  siteverifyLimit: SiteverifyLimit;
  /** Weak settings the server still starts with; `startServer` logs each as `config.warning`. */
  warnings: ConfigWarning[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  /** Every variable at fault, when more than one is (several missing at once). */
  readonly variables: string[];
  /** The variables at fault, comma-separated: one name in the usual case. */
  readonly variable: string;
  constructor(variable: string | readonly string[], problem: string) {
    const variables = typeof variable === 'string' ? [variable] : [...variable];
    super(`${variables.join(', ')}: ${problem}`);
    this.variables = variables;
    this.variable = variables.join(', ');
  }
}

export type Env = Record<string, string | undefined>;

export const SANDBOX_SITE: SiteConfig = {
  siteKey: 'pk_sandbox',
  secret: 'sk_sandbox',
  origins: ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'],
};

const DAY = 24 * 60 * 60;

/**
 * The sandbox places no real calls, so someone trying it may verify the same number many times in a row;
 * the cooldown stays, so its countdown can still be seen.
 */
export const SANDBOX_LIMITS: LimitRule[] = [
  { scope: 'phone', max: 20, windowSeconds: 15 * 60 },
  { scope: 'ip', max: 100, windowSeconds: 15 * 60 },
];

export const DEFAULT_LIMITS: LimitRule[] = [
  { scope: 'phone', max: 3, windowSeconds: 15 * 60 },
  { scope: 'phone', max: 10, windowSeconds: DAY },
  { scope: 'ip', max: 10, windowSeconds: 15 * 60 },
  { scope: 'prefix', max: 5, windowSeconds: 60 * 60 },
  { scope: 'site', max: 10_000, windowSeconds: DAY },
  { scope: 'site-country', max: 1_000, windowSeconds: DAY },
];

export const DEFAULT_SITEVERIFY_LIMIT: SiteverifyLimit = { max: 20, windowSeconds: 10 * 60 };

/**
 * Placeholder secrets from the docs and the usual "change me" values: whoever deploys one has not chosen a
 * secret, and anyone who reads the docs knows it.
 */
export const EXAMPLE_SECRETS: readonly string[] = [
  'replace-with-the-output-of-openssl-rand-base64-48',
  'change-me-to-32-or-more-random-characters',
  'changemechangemechangemechangeme',
  'your-secret-here-your-secret-here',
];

const SANDBOX_CALLER_IDS = ['+44741830XXXX'];
/** Outside the sandbox's flash range, so the sandbox phone never takes a voice call for a flash one. */
const SANDBOX_VOICE_CALLER_ID = '+447418310000';
const SANDBOX_SMS_FROM = 'FlashVerify';
const RESTCOMM_VARS = ['RESTCOMM_BASE_URL', 'RESTCOMM_ACCOUNT_SID', 'RESTCOMM_AUTH_TOKEN'] as const;
/** Set without Restcomm credentials, these say the operator meant production and forgot them. */
const PRODUCTION_VARS = ['FCV_SITES', 'FCV_SECRET', 'PUBLIC_URL', 'REDIS_URL', 'REDIS_CLUSTER_NODES'] as const;

/**
 * Sandbox or production, failing closed: the sandbox verifies any number without a call, so it runs only when
 * asked for (`FCV_MODE=sandbox`) or when nothing at all is configured. Half a production setup is an error.
 */
function resolveMode(env: Env): Config['mode'] {
  const requested = (env.FCV_MODE ?? '').trim().toLowerCase();
  if (!['', 'sandbox', 'production'].includes(requested)) {
    throw new ConfigError('FCV_MODE', `must be sandbox or production, not "${env.FCV_MODE}"`);
  }
  const restcommSet = RESTCOMM_VARS.filter((name) => nonEmpty(env[name]));
  const restcommMissing = RESTCOMM_VARS.filter((name) => !nonEmpty(env[name]));
  if (requested === 'sandbox') {
    if (restcommSet.length > 0) {
      throw new ConfigError(
        'FCV_MODE',
        `is sandbox, which never calls Restcomm, but ${restcommSet.join(', ')} ${restcommSet.length > 1 ? 'are' : 'is'} set: unset ${restcommSet.length > 1 ? 'them' : 'it'} or set FCV_MODE=production`,
      );
    }
    return 'sandbox';
  }
  if (requested === 'production' || restcommSet.length > 0) {
    const missing = [
      ...restcommMissing,
      ...(['PUBLIC_URL', 'FCV_SECRET', 'FCV_SITES', 'FCV_CALLER_IDS'] as const).filter((name) => !nonEmpty(env[name])),
    ];
    if (missing.length > 0) throw new ConfigError(missing, 'must be set in production (missing, so the server will not start)');
    return 'production';
  }
  const meant = PRODUCTION_VARS.filter((name) => nonEmpty(env[name]));
  if (meant.length > 0) {
    throw new ConfigError(
      restcommMissing,
      `missing: ${meant.join(', ')} ${meant.length > 1 ? 'are' : 'is'} set, which only production uses, so the server will not ` +
        'start as the sandbox (which verifies any number without a call). Set the Restcomm credentials, or FCV_MODE=sandbox to run the sandbox anyway.',
    );
  }
  return 'sandbox';
}

/** Reads and checks the whole environment at once, so a bad deployment fails at start, naming the variable. */
export function loadConfig(env: Env, random: Random = cryptoRandom): Config {
  const mode = resolveMode(env);
  const warnings: ConfigWarning[] = [];

  const port = integer(env, 'PORT', 8787, 0, 65535);
  // The sandbox answers anyone with any number's "verification": it stays on this machine unless told.
  const host = nonEmpty(env.HOST) ? env.HOST.trim() : mode === 'sandbox' ? '127.0.0.1' : undefined;
  const publicUrl = url(env, 'PUBLIC_URL') ?? `http://localhost:${port}`;
  for (const name of ['PUBLIC_URL', 'RESTCOMM_BASE_URL'] as const) {
    const value = url(env, name);
    if (value && value.startsWith('http:') && !isLoopbackUrl(value)) {
      warnings.push({
        variable: name,
        message: `is plain http:// to a host that is not this machine: ${name === 'PUBLIC_URL' ? 'hook tokens and callbacks' : 'the Restcomm credentials and every call request'} cross the network unencrypted; use https://`,
      });
    }
  }

  const restcomm =
    mode === 'production'
      ? {
          baseUrl: url(env, 'RESTCOMM_BASE_URL')!,
          accountSid: env.RESTCOMM_ACCOUNT_SID!.trim(),
          authToken: env.RESTCOMM_AUTH_TOKEN!.trim(),
        }
      : null;

  const callerIds = nonEmpty(env.FCV_CALLER_IDS)
    ? env.FCV_CALLER_IDS.split(',')
        .map((pattern) => pattern.trim())
        .filter(Boolean)
    : mode === 'sandbox'
      ? SANDBOX_CALLER_IDS
      : [];
  if (callerIds.length === 0) throw new ConfigError('FCV_CALLER_IDS', 'must list at least one caller ID pattern');
  for (const pattern of callerIds) {
    if (!CALLER_ID_PATTERN.test(pattern) || pattern.length - 1 > 15) {
      throw new ConfigError(
        'FCV_CALLER_IDS',
        `"${pattern}" is not a caller ID pattern: + then digits ending in 4 to 8 X (e.g. +44741830XXXX), 15 characters at most after +`,
      );
    }
    // Carriers drop or rewrite calls from numbers that cannot exist, and the user would never see the code.
    if (!isValidPhoneNumber(pattern.replace(/X/g, '0'))) {
      throw new ConfigError('FCV_CALLER_IDS', `"${pattern}" does not give valid phone numbers when its X are filled in`);
    }
  }

  const voiceCallerId = nonEmpty(env.FCV_VOICE_CALLER_ID)
    ? voiceCaller(env.FCV_VOICE_CALLER_ID.trim())
    : mode === 'sandbox'
      ? SANDBOX_VOICE_CALLER_ID
      : undefined;
  const smsFrom = nonEmpty(env.FCV_SMS_FROM) ? smsSender(env.FCV_SMS_FROM.trim()) : mode === 'sandbox' ? SANDBOX_SMS_FROM : undefined;
  const usable = CHANNELS.filter(
    (channel) => channel === 'flash' || (channel === 'voice' ? voiceCallerId !== undefined : smsFrom !== undefined),
  );

  const sites = nonEmpty(env.FCV_SITES) ? parseSites(env.FCV_SITES) : mode === 'sandbox' ? [SANDBOX_SITE] : [];
  if (sites.length === 0) throw new ConfigError('FCV_SITES', 'must list at least one site in production');
  for (const site of sites) {
    for (const channel of site.channels ?? []) {
      if (usable.includes(channel)) continue;
      const variable = channel === 'voice' ? 'FCV_VOICE_CALLER_ID' : 'FCV_SMS_FROM';
      throw new ConfigError(variable, `must be set: site ${site.siteKey} lists the ${channel} channel`);
    }
  }
  const dailyCaps = nonEmpty(env.FCV_DAILY_CAPS)
    ? { ...DEFAULT_DAILY_CAPS, ...parseDailyCaps(env.FCV_DAILY_CAPS, 'FCV_DAILY_CAPS') }
    : { ...DEFAULT_DAILY_CAPS };
  if (mode === 'production') {
    for (const site of sites) {
      // Everyone knows the sandbox's keys: in production they would let anyone redeem that site's tokens.
      if (site.siteKey === SANDBOX_SITE.siteKey || site.secret === SANDBOX_SITE.secret) {
        throw new ConfigError(
          'FCV_SITES',
          `site ${site.siteKey} uses the sandbox's public key or secret (pk_sandbox / sk_sandbox), which production refuses`,
        );
      }
      if (site.secret.length < 32) {
        warnings.push({
          variable: 'FCV_SITES',
          message: `site ${site.siteKey} has a secret of ${site.secret.length} characters; use 32 or more random ones`,
        });
      }
    }
  }

  let secret: Uint8Array;
  if (nonEmpty(env.FCV_SECRET)) {
    if (env.FCV_SECRET.length < 32) throw new ConfigError('FCV_SECRET', 'must be at least 32 characters');
    if (new Set(env.FCV_SECRET).size < 10) {
      throw new ConfigError('FCV_SECRET', 'is plainly not random (fewer than 10 distinct characters): use `openssl rand -base64 48`');
    }
    if (EXAMPLE_SECRETS.includes(env.FCV_SECRET.trim())) {
      throw new ConfigError('FCV_SECRET', 'is an example value from the documentation: use `openssl rand -base64 48`');
    }
    secret = new TextEncoder().encode(env.FCV_SECRET);
  } else if (mode === 'sandbox') {
    secret = random.bytes(32);
  } else {
    throw new ConfigError('FCV_SECRET', 'must be set in production (32+ random characters)');
  }

  return {
    mode,
    port,
    host,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    restcomm,
    callerIds,
    ...(voiceCallerId ? { voiceCallerId } : {}),
    voiceRingSeconds: integer(env, 'FCV_VOICE_RING_SECONDS', 30, 5, 120),
    ...(smsFrom ? { smsFrom } : {}),
    dailyCaps,
    sites: sites.map((site) => (site.channels ? site : { ...site, channels: usable })),
    secret,
    ...redisConnection(env),
    redisKeyPrefix: nonEmpty(env.FCV_REDIS_PREFIX) ? redisPrefix(env.FCV_REDIS_PREFIX) : undefined,
    ringSeconds: integer(env, 'FCV_RING_SECONDS', 15, 3, 120),
    ttlSeconds: integer(env, 'FCV_TTL_SECONDS', 300, 10, 3600),
    resendSeconds: integer(env, 'FCV_RESEND_SECONDS', 30, 0, 3600),
    maxAttempts: 3,
    tokenTtlSeconds: 300,
    limits: nonEmpty(env.FCV_LIMITS) ? parseLimits(env.FCV_LIMITS, 'FCV_LIMITS') : mode === 'sandbox' ? SANDBOX_LIMITS : DEFAULT_LIMITS,
    trustedProxies: nonEmpty(env.FCV_TRUSTED_PROXIES) ? parseProxies(env.FCV_TRUSTED_PROXIES) : [],
    bodyLimitBytes: 16 * 1024,
    metrics: parseMetrics(env, port),
    siteverifyLimit: nonEmpty(env.FCV_SITEVERIFY_LIMIT) ? parseSiteverifyLimit(env.FCV_SITEVERIFY_LIMIT) : DEFAULT_SITEVERIFY_LIMIT,
    warnings,
  };
}

function parseSiteverifyLimit(raw: string): SiteverifyLimit {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (!isRecord(value) || !positiveInteger(value.max) || !positiveInteger(value.windowSeconds)) {
    throw new ConfigError('FCV_SITEVERIFY_LIMIT', 'must be JSON such as {"max":20,"windowSeconds":600}');
  }
  return { max: value.max, windowSeconds: value.windowSeconds };
}

function positiveInteger(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0;
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 and ::1: traffic that never leaves the machine. */
function isLoopbackUrl(href: string): boolean {
  const host = new URL(href).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const CALLER_ID_PATTERN = /^\+[1-9]\d*X{4,8}$/;
const COUNTRY = /^[A-Z]{2}$/;

function parseSites(raw: string): SiteConfig[] {
  const text = raw.trim().startsWith('[') ? raw : readSitesFile(raw.trim());
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('FCV_SITES', `is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(value)) throw new ConfigError('FCV_SITES', 'must be a JSON array of sites');
  const seen = new Set<string>();
  return value.map((site: unknown, index) => {
    const where = `site ${index + 1}`;
    if (!isRecord(site)) throw new ConfigError('FCV_SITES', `${where} must be an object`);
    const { siteKey, secret, origins, countries, locale, limits, allowHighRiskCountries, dryRun, requireChallenge, channels, dailyCaps } =
      site;
    if (typeof siteKey !== 'string' || !siteKey) throw new ConfigError('FCV_SITES', `${where} needs a siteKey`);
    if (seen.has(siteKey)) throw new ConfigError('FCV_SITES', `siteKey "${siteKey}" appears twice`);
    seen.add(siteKey);
    if (typeof secret !== 'string' || secret.length < 8) {
      throw new ConfigError('FCV_SITES', `${where} (${siteKey}) needs a secret of 8+ characters`);
    }
    if (!Array.isArray(origins) || origins.length === 0 || !origins.every((o) => typeof o === 'string' && isOriginPattern(o))) {
      throw new ConfigError(
        'FCV_SITES',
        `${where} (${siteKey}) needs origins such as ["https://shop.example", "https://*.shop.example", "http://localhost:*"]`,
      );
    }
    if (countries !== undefined && (!Array.isArray(countries) || !countries.every((c) => typeof c === 'string' && COUNTRY.test(c)))) {
      throw new ConfigError('FCV_SITES', `${where} (${siteKey}) countries must be ISO 3166 alpha-2 codes such as ["GB","US"]`);
    }
    if (locale !== undefined && typeof locale !== 'string') {
      throw new ConfigError('FCV_SITES', `${where} (${siteKey}) locale must be a string such as "en-GB"`);
    }
    if (
      allowHighRiskCountries !== undefined &&
      (!Array.isArray(allowHighRiskCountries) || !allowHighRiskCountries.every((c) => typeof c === 'string' && COUNTRY.test(c)))
    ) {
      throw new ConfigError('FCV_SITES', `${where} (${siteKey}) allowHighRiskCountries must be ISO 3166 alpha-2 codes`);
    }
    if (dryRun !== undefined && typeof dryRun !== 'boolean') {
      throw new ConfigError('FCV_SITES', `${where} (${siteKey}) dryRun must be true or false`);
    }
    if (requireChallenge !== undefined && typeof requireChallenge !== 'boolean') {
      throw new ConfigError('FCV_SITES', `${where} (${siteKey}) requireChallenge must be true or false`);
    }
    if (
      channels !== undefined &&
      (!Array.isArray(channels) ||
        channels.length === 0 ||
        new Set(channels).size !== channels.length ||
        !channels.every((channel) => CHANNELS.includes(channel as Channel)))
    ) {
      throw new ConfigError('FCV_SITES', `${where} (${siteKey}) channels must list some of "flash", "voice", "sms" once each, in order`);
    }
    return {
      siteKey,
      secret,
      origins: origins as string[],
      ...(countries ? { countries: countries as string[] } : {}),
      ...(locale ? { locale } : {}),
      ...(limits !== undefined ? { limits: checkLimits(limits, 'FCV_SITES') } : {}),
      ...(allowHighRiskCountries ? { allowHighRiskCountries: allowHighRiskCountries as string[] } : {}),
      ...(dryRun ? { dryRun } : {}),
      ...(requireChallenge ? { requireChallenge } : {}),
      ...(channels ? { channels: channels as Channel[] } : {}),
      ...(dailyCaps !== undefined ? { dailyCaps: checkDailyCaps(dailyCaps, 'FCV_SITES') } : {}),
    };
  });
}

function parseDailyCaps(raw: string, variable: string): Partial<Record<Channel, number>> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  return checkDailyCaps(value, variable);
}

function checkDailyCaps(value: unknown, variable: string): Partial<Record<Channel, number>> {
  if (!isRecord(value) || !Object.entries(value).every(([key, max]) => CHANNELS.includes(key as Channel) && positiveInteger(max))) {
    throw new ConfigError(variable, 'daily caps must be JSON such as {"flash":10000,"voice":1000,"sms":1000}');
  }
  return value;
}

/** A voice call's caller ID is shown and may be called back: a real number, like the flash ranges. */
function voiceCaller(value: string): string {
  if (!/^\+[1-9]\d{1,14}$/.test(value) || !isValidPhoneNumber(value)) {
    throw new ConfigError('FCV_VOICE_CALLER_ID', `"${value}" is not a valid phone number in E.164 (e.g. +447418310000)`);
  }
  return value;
}

/** A number in E.164, or an alphanumeric sender ID: up to 11 letters, digits and spaces, not digits only. */
function smsSender(value: string): string {
  const number = /^\+[1-9]\d{1,14}$/.test(value) && isValidPhoneNumber(value);
  const alphanumeric = /^[A-Za-z0-9 ]{1,11}$/.test(value) && /[A-Za-z]/.test(value);
  if (!number && !alphanumeric) {
    throw new ConfigError('FCV_SMS_FROM', `"${value}" is neither a number in E.164 nor a sender ID of up to 11 letters and digits`);
  }
  return value;
}

function readSitesFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError('FCV_SITES', `is neither a JSON array nor a readable file (${path})`);
  }
}

function parseLimits(raw: string, variable: string): LimitRule[] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ConfigError(variable, 'is not valid JSON');
  }
  return checkLimits(value, variable);
}

function checkLimits(value: unknown, variable: string): LimitRule[] {
  const valid =
    Array.isArray(value) &&
    value.every(
      (rule) =>
        isRecord(rule) &&
        LIMIT_SCOPES.includes(rule.scope as LimitScope) &&
        Number.isInteger(rule.max) &&
        (rule.max as number) > 0 &&
        Number.isInteger(rule.windowSeconds) &&
        (rule.windowSeconds as number) > 0,
    );
  if (!valid) {
    throw new ConfigError(
      variable,
      `limits must be a JSON array of {"scope":"phone"|"ip"|"prefix"|"site"|"site-country","max":N,"windowSeconds":N}`,
    );
  }
  return (value as LimitRule[]).map(({ scope, max, windowSeconds }) => ({ scope, max, windowSeconds }));
}

function parseProxies(raw: string): string[] {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))) {
      throw new ConfigError('FCV_TRUSTED_PROXIES', `"${entry}" is not an IP address or CIDR range`);
    }
  }
  return entries;
}

/** Prometheus exporters conventionally listen on 9464. */
const DEFAULT_METRICS_PORT = 9464;

function parseMetrics(env: Env, port: number): MetricsConfig {
  const flag = (env.FCV_METRICS ?? '').trim().toLowerCase();
  if (!['', 'on', 'off', 'true', 'false', '1', '0'].includes(flag)) {
    throw new ConfigError('FCV_METRICS', `must be on or off, not "${env.FCV_METRICS}"`);
  }
  const enabled = flag === 'on' || flag === 'true' || flag === '1';
  const token = nonEmpty(env.FCV_METRICS_TOKEN) ? env.FCV_METRICS_TOKEN.trim() : undefined;
  if (!enabled) {
    for (const name of ['FCV_METRICS_PORT', 'FCV_METRICS_HOST', 'FCV_METRICS_TOKEN']) {
      if (nonEmpty(env[name])) throw new ConfigError(name, 'is set but FCV_METRICS is not on');
    }
    return { enabled, port: null, host: '127.0.0.1' };
  }
  if (token !== undefined && token.length < 16) throw new ConfigError('FCV_METRICS_TOKEN', 'must be at least 16 characters');
  const portOff = env.FCV_METRICS_PORT?.trim().toLowerCase() === 'off';
  const metricsPort = portOff ? null : integer(env, 'FCV_METRICS_PORT', DEFAULT_METRICS_PORT, 0, 65535);
  if (metricsPort === null && token === undefined) {
    throw new ConfigError('FCV_METRICS_PORT', 'is off and FCV_METRICS_TOKEN is not set, so metrics would be served nowhere');
  }
  if (metricsPort !== null && metricsPort !== 0 && metricsPort === port) {
    throw new ConfigError('FCV_METRICS_PORT', 'must differ from PORT (to serve /metrics on the main port, set FCV_METRICS_TOKEN)');
  }
  const host = nonEmpty(env.FCV_METRICS_HOST) ? env.FCV_METRICS_HOST.trim() : '127.0.0.1';
  return { enabled, port: metricsPort, host, ...(token ? { token } : {}) };
}

function redisUrl(raw: string): string {
  const value = raw.trim();
  if (!/^rediss?:\/\/[^\s]+$/.test(value)) throw new ConfigError('REDIS_URL', 'must look like redis://host:6379 or rediss://…');
  return value;
}

/** One Redis or a cluster; both at once would leave it unclear which one holds the state. */
function redisConnection(env: Env): Pick<Config, 'redisUrl' | 'redisClusterNodes'> {
  const url = nonEmpty(env.REDIS_URL);
  const cluster = nonEmpty(env.REDIS_CLUSTER_NODES);
  if (url && cluster) {
    throw new ConfigError(
      ['REDIS_URL', 'REDIS_CLUSTER_NODES'],
      'are both set: set REDIS_URL for one Redis or REDIS_CLUSTER_NODES for a Redis Cluster',
    );
  }
  if (url) return { redisUrl: redisUrl(env.REDIS_URL!) };
  if (cluster) return { redisClusterNodes: clusterNodes(env.REDIS_CLUSTER_NODES!) };
  return {};
}

function clusterNodes(raw: string): string[] {
  const nodes = raw
    .split(',')
    .map((node) => node.trim())
    .filter(Boolean);
  for (const node of nodes) {
    // host:port, or a redis[s]:// URL when the nodes need a password or TLS.
    if (!/^(rediss?:\/\/[^\s,]+|[^\s:/,]+:\d{1,5}|\[[0-9a-fA-F:.]+\]:\d{1,5})$/.test(node)) {
      throw new ConfigError(
        'REDIS_CLUSTER_NODES',
        `must be host:port entries separated by commas, such as 10.0.0.1:6379,10.0.0.2:6379, not "${node}"`,
      );
    }
  }
  if (nodes.length === 0) throw new ConfigError('REDIS_CLUSTER_NODES', 'lists no node');
  return nodes;
}

function redisPrefix(raw: string): string {
  if (/[{}\s]/.test(raw)) throw new ConfigError('FCV_REDIS_PREFIX', 'must not contain braces or spaces');
  return raw;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (!nonEmpty(raw)) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}

function url(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (!nonEmpty(raw)) return undefined;
  try {
    const parsed = new URL(raw.trim());
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error();
    return parsed.href.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, not "${raw}"`);
  }
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
