import type { Clock } from '../clock.js';
import type { Challenge, ChallengeBody, CheckResult, SiteverifyError, SiteverifyResult } from '../protocol.js';
import type { Channel, Config, SiteConfig } from '../config.js';
import { HttpProblem } from '../errors.js';
import type { Logger } from '../log.js';
import type { FlashCallMetrics } from '../metrics/index.js';
import type { Random } from '../random.js';
import { randomId } from '../random.js';
import type { SessionChange, Store, TokenRecord } from '../store/store.js';
import type { CallProgress, CallStatusEvent, TelephonyProvider } from '../telephony/provider.js';
import { ProviderError } from '../telephony/provider.js';
import { drawCallerId } from './caller-id.js';
import { drawCode, maskCode, unmaskCode } from './channel-code.js';
import { smsText } from '../telephony/sms-text.js';
import type { ChallengeClaims } from './challenge.js';
import { CHALLENGE_TTL_MS, maskPhone, openChallenge, sealChallenge, spentKey } from './challenge.js';
import { addressBlock } from './address-block.js';
import { RateLimiter } from './limits.js';
import type { Refund } from './limits.js';
import { originAllowed } from './origins.js';
import { Idempotency } from './idempotency.js';
import { parseDestination } from './phone.js';
import type { Destination } from './phone.js';
import { numberPolicyProblem } from './policy.js';
import { constantTimeEqual, digestsEqual, keyedHash, newVerificationToken } from './secrets.js';
import type { Session, SessionStatus } from './session.js';
import { TERMINAL_STATUSES } from './session.js';
import type { PublicSession } from './view.js';
import { effectiveStatus, publicView } from './view.js';

/**
 * What one check decided: a refusal before any change, or the outcome and whether this check is what ended
 * the session, so an ending is counted once however often it is retried.
 */
type CheckOutcome = { refused: HttpProblem } | { outcome: 'accepted' | 'wrong' | SessionStatus; endedNow: boolean };

export interface ServiceDeps {
  config: Config;
  store: Store;
  provider: TelephonyProvider;
  clock: Clock;
  random: Random;
  log: Logger;
  metrics?: FlashCallMetrics;
}

export interface StartRequest {
  siteKey: string;
  /** The number as typed; absent when `challenge` names it. */
  phone?: string;
  /** A challenge from the site's backend: the number comes from it, never from the page. */
  challenge?: string;
  country?: string;
  lang?: string;
  origin: string | undefined;
  ip: string;
  /** A client's key for this one intent: repeats get the first answer and place no second call. */
  idempotencyKey?: string;
  /** How to send the first code; `flash` when absent. */
  channel?: Channel;
}

export type { CheckResult, SiteverifyResult };

/** How long a finished session stays readable after its expiry, so late pollers see `expired`, not 404. */
const GRACE_MS = 10 * 60 * 1000;

const PROGRESS_STATUS: Record<CallProgress, SessionStatus> = {
  initiated: 'calling',
  ringing: 'ringing',
  answered: 'answered',
  completed: 'call-ended',
};
const CALL_RANK: Partial<Record<SessionStatus, number>> = { calling: 0, ringing: 1, answered: 2, 'call-ended': 3 };

const DAY_SECONDS = 24 * 60 * 60;

/** The fields of a session that hold its current code. */
type CodeFields = Pick<Session, 'channel' | 'codeHash' | 'codeLength' | 'callerIdPrefix' | 'voiceCode'>;

export interface FallbackRequest {
  channel: Exclude<Channel, 'flash'>;
  origin: string | undefined;
  ip: string;
  /** A client's key for this one request: a repeat gets the first answer and sends nothing more. */
  idempotencyKey?: string;
}

/**
 * The problem for a session that ended, as a check answers it: thrown, or returned when `raise` is false;
 * nothing for one still waiting for its code.
 */
function endedProblem(status: SessionStatus, raise = true): HttpProblem | undefined {
  let problem: HttpProblem | undefined;
  if (status === 'expired') problem = new HttpProblem(410, 'expired');
  else if (status === 'locked') problem = new HttpProblem(423, 'too_many_attempts', undefined, { attemptsLeft: 0 });
  else if (status === 'verified') problem = new HttpProblem(409, 'already_verified');
  else if (status === 'failed')
    problem = new HttpProblem(409, 'invalid_request', 'The code for this verification could not be sent. Start again.');
  if (problem && raise) throw problem;
  return problem;
}

/** `limit:ip:900` is the ip scope; a resend window's key is `resend:` and the number. */
function limitScope(rule: string): string {
  return rule.startsWith('resend:') ? 'resend' : (rule.split(':')[1] ?? 'unknown');
}

/** Numbers that differ only in their last three digits: `+447418301234` is in the block `+447418301`. */
export function numberBlock(e164: string): string {
  return e164.slice(0, -3);
}

/**
 * The verification flow: start, observe, check, redeem, and provider callbacks, with no routing or request
 * parsing. Refusals are thrown as `HttpProblem`s, so each carries the status and code the API answers with.
 */
export class VerificationService {
  readonly #sites: Map<string, SiteConfig>;
  readonly #limiter: RateLimiter;
  readonly #idempotency: Idempotency;

  constructor(private readonly deps: ServiceDeps) {
    this.#sites = new Map(deps.config.sites.map((site) => [site.siteKey, site]));
    this.#limiter = new RateLimiter(deps.store, deps.clock, deps.config.resendSeconds);
    this.#idempotency = new Idempotency({ store: deps.store, random: deps.random, clock: deps.clock });
  }

  site(siteKey: string): SiteConfig | undefined {
    return this.#sites.get(siteKey);
  }

  /** Whether any site accepts this origin: enough to answer a CORS preflight, which carries no site key. */
  anySiteAllows(origin: string | undefined): boolean {
    return this.deps.config.sites.some((site) => originAllowed(site.origins, origin));
  }

  async start(request: StartRequest): Promise<PublicSession> {
    const site = this.site(request.siteKey);
    try {
      if (!site) throw new HttpProblem(400, 'unknown_site');
      if (!originAllowed(site.origins, request.origin)) throw new HttpProblem(403, 'origin_not_allowed');
      const challenge = request.challenge === undefined ? undefined : await this.#openChallenge(site, request);
      if (!challenge) {
        if (site.requireChallenge) throw new HttpProblem(403, 'challenge_required');
        if (request.phone === undefined) throw new HttpProblem(400, 'invalid_request', 'phone is required.', { field: 'phone' });
      }
      const destination = challenge ? parseDestination(challenge.phone, undefined) : parseDestination(request.phone!, request.country);
      if (!request.idempotencyKey) return await this.#place(site, destination, request, challenge);
      return await this.#idempotency.run(
        `${site.siteKey}:${request.idempotencyKey}`,
        keyedHash(
          this.deps.config.secret,
          'idempotency',
          destination.e164,
          request.lang ?? '',
          challenge?.id ?? '',
          request.channel ?? 'flash',
        ),
        () => this.#place(site, destination, request, challenge),
      );
    } catch (error) {
      // A site key nobody configured is not a label: it would let any caller mint new series.
      if (error instanceof HttpProblem) this.deps.metrics?.failed(site?.siteKey ?? 'unknown', error.code);
      throw error;
    }
  }

  /**
   * The claims of a challenge the page may start from: sealed by this server, for this site, alive and unspent.
   * A number beside it is refused rather than ignored, so a page that sends both learns it at once.
   */
  async #openChallenge(site: SiteConfig, request: StartRequest): Promise<ChallengeClaims> {
    if (request.phone !== undefined) throw new HttpProblem(400, 'challenge_with_phone');
    const claims = openChallenge(this.deps.config.secret, request.challenge!);
    if (!claims || claims.siteKey !== site.siteKey) throw new HttpProblem(400, 'invalid_challenge');
    if (this.deps.clock.now() >= claims.expiresAt) throw new HttpProblem(410, 'challenge_expired');
    if ((await this.deps.store.getValue(spentKey(claims.id))) !== null) throw new HttpProblem(409, 'challenge_spent');
    return claims;
  }

  /**
   * Server to server: seals a challenge for a number the site already holds, after the same secret check
   * (and count of wrong ones) as siteverify, and the site's number policy, so the backend hears of a number
   * that cannot be called before the page shows it.
   */
  async createChallenge(body: ChallengeBody, ip = 'unknown'): Promise<Challenge> {
    const { config, clock, random, log, metrics } = this.deps;
    const secret = body.secret;
    if (typeof secret !== 'string' || secret === '') throw new HttpProblem(401, 'invalid_secret');
    const sites = config.sites.filter((candidate) => constantTimeEqual(candidate.secret, secret));
    if (sites.length === 0) {
      await this.#countWrongSecret(ip);
      throw new HttpProblem(401, 'invalid_secret');
    }
    const site = body.siteKey === undefined && sites.length === 1 ? sites[0] : sites.find((each) => each.siteKey === body.siteKey);
    if (!site) {
      throw new HttpProblem(
        400,
        body.siteKey === undefined ? 'invalid_request' : 'unknown_site',
        'siteKey must name one of the sites of this secret.',
        {
          field: 'siteKey',
        },
      );
    }
    const destination = parseDestination(body.phone, undefined);
    const policyProblem = numberPolicyProblem(site, destination);
    if (policyProblem && !site.dryRun) throw policyProblem;
    const expiresAt = clock.now() + CHALLENGE_TTL_MS;
    const challenge = sealChallenge(config.secret, random, {
      siteKey: site.siteKey,
      phone: destination.e164,
      action: body.action,
      ...(body.context ? { context: body.context } : {}),
      ...(body.lang ? { lang: body.lang } : {}),
      expiresAt,
    });
    log('info', 'challenge.created', { site: site.siteKey, action: body.action });
    metrics?.challengeCreated(site.siteKey);
    return { challenge, expiresAt: new Date(expiresAt).toISOString(), phoneMasked: maskPhone(destination.e164) };
  }

  /** The site's channels, in its order (the config fills in the server's own for a site that lists none). */
  #channels(siteKey: string): readonly Channel[] {
    const channels = this.site(siteKey)?.channels ?? ['flash'];
    // A provider that cannot text cannot offer SMS, whatever the site asks.
    return this.deps.provider.sendSms ? channels : channels.filter((channel) => channel !== 'sms');
  }

  #view(session: Session): PublicSession {
    return publicView(session, this.deps.clock.now(), this.#channels(session.siteKey));
  }

  /**
   * Counts one code sent to `phone` against every limit, the cooldown and the channel's daily cap for the site;
   * a limit that trips is thrown as its problem. Returns the refund for a code that was certainly never sent.
   */
  async #consume(site: SiteConfig, phone: string, country: string, ip: string, channel: Channel): Promise<Refund> {
    const { config, log, metrics } = this.deps;
    const cap = site.dailyCaps?.[channel] ?? config.dailyCaps[channel];
    return this.#limiter.consume(
      [...(site.limits ?? config.limits), { scope: 'channel', max: cap, windowSeconds: DAY_SECONDS }],
      {
        phone,
        ip: addressBlock(ip),
        site: site.siteKey,
        'site-country': `${site.siteKey}:${country}`,
        // Pumping walks a range of numbers, each fresh to the per-number limits: the block is what it shares.
        prefix: `${site.siteKey}:${numberBlock(phone)}`,
        channel: `${site.siteKey}:${channel}`,
      },
      {
        dryRun: site.dryRun,
        onWouldBlock: (_problem, rule) => {
          log('warn', 'policy.would_block', { site: site.siteKey, code: 'rate_limited', rule });
          metrics?.rateLimited(site.siteKey, limitScope(rule), false);
        },
        onBlock: (rule) => metrics?.rateLimited(site.siteKey, limitScope(rule), true),
      },
    );
  }

  /** Refuses a channel the site does not list, or one this server cannot use. */
  #allowChannel(site: SiteConfig, channel: Channel): void {
    if (!this.#channels(site.siteKey).includes(channel)) throw new HttpProblem(400, 'channel_not_allowed', undefined, { field: 'channel' });
  }

  /**
   * A new code for `channel`: the fields of the session that hold it, and what the provider must send. Flash
   * sessions are stored as they always were, without a channel.
   */
  #newCode(id: string, channel: Channel): { fields: CodeFields; callerId?: string; code: string } {
    const { config, random } = this.deps;
    if (channel === 'flash') {
      const drawn = drawCallerId(config.callerIds, random);
      return {
        fields: {
          codeHash: keyedHash(config.secret, 'code', id, drawn.code),
          codeLength: drawn.code.length,
          callerIdPrefix: drawn.prefix,
        },
        callerId: drawn.callerId,
        code: drawn.code,
      };
    }
    const code = drawCode(random);
    const codeHash = keyedHash(config.secret, 'code', id, code);
    return {
      fields: {
        channel,
        codeHash,
        codeLength: code.length,
        callerIdPrefix: '',
        ...(channel === 'voice' ? { voiceCode: maskCode(config.secret, codeHash, code) } : {}),
      },
      code,
    };
  }

  /**
   * Sends the code of `session` by its channel and returns the call's sid (none for a text). A failure is
   * counted, logged and thrown as it came; the caller decides what it means for the session.
   */
  async #send(session: Session, code: { callerId?: string; code: string }): Promise<string | undefined> {
    const { config, provider, metrics } = this.deps;
    const channel = session.channel ?? 'flash';
    const hooks = `${config.publicUrl}/hooks/restcomm/${this.hookToken(session.id)}`;
    const sentAt = performance.now();
    try {
      let sid: string | undefined;
      if (channel === 'sms') {
        if (!provider.sendSms || !config.smsFrom) throw new HttpProblem(400, 'channel_not_allowed', undefined, { field: 'channel' });
        const body = smsText({ code: code.code, host: new URL(session.origin).hostname, lang: session.locale });
        await provider.sendSms({ from: config.smsFrom, to: session.phone, body });
      } else {
        const voice = channel === 'voice';
        if (voice && !config.voiceCallerId) throw new HttpProblem(400, 'channel_not_allowed', undefined, { field: 'channel' });
        ({ sid } = await provider.placeCall({
          from: voice ? config.voiceCallerId! : code.callerId!,
          to: session.phone,
          ringSeconds: voice ? config.voiceRingSeconds : config.ringSeconds,
          rcmlUrl: `${hooks}/rcml`,
          statusCallbackUrl: `${hooks}/status`,
        }));
      }
      metrics?.providerCall('ok', channel, (performance.now() - sentAt) / 1000);
      return sid;
    } catch (error) {
      if (!(error instanceof HttpProblem)) {
        metrics?.providerCall(error instanceof ProviderError ? error.kind : 'error', channel, (performance.now() - sentAt) / 1000);
      }
      throw error;
    }
  }

  /**
   * The provider did not confirm a send: logged, and the limits given back only when it certainly sent nothing
   * (it refused, a 4xx, or never got the request). After a timeout, a reset connection or a 5xx the phone may
   * ring or the text arrive all the same; refunding then would let retries reach one number again and again
   * inside its cooldown. Returns whether it certainly sent nothing; rethrows what is not the provider's.
   */
  async #sendFailed(error: unknown, session: Session, refund: Refund): Promise<boolean> {
    if (!(error instanceof ProviderError)) return false;
    const refused = error.refused;
    if (refused) await refund();
    this.deps.log(error.kind === 'auth' ? 'error' : 'warn', 'provider.call_failed', {
      session: session.id,
      channel: session.channel ?? 'flash',
      kind: error.kind,
      httpStatus: error.httpStatus,
      providerCode: error.providerCode,
      providerMessage: error.providerMessage,
      outcome: refused ? 'refused' : 'unknown',
      limits: refused ? 'refunded' : 'kept',
      reason: error.message,
    });
    return refused;
  }

  async #place(site: SiteConfig, destination: Destination, request: StartRequest, challenge?: ChallengeClaims): Promise<PublicSession> {
    const { config, store, clock, random, log, metrics } = this.deps;
    const country = destination.country ?? 'ZZ';
    const channel = request.channel ?? 'flash';
    this.#allowChannel(site, channel);
    const policyProblem = numberPolicyProblem(site, destination);
    if (policyProblem) {
      if (!site.dryRun) throw policyProblem;
      log('warn', 'policy.would_block', { site: site.siteKey, code: policyProblem.code, country, numberType: destination.type });
    }
    const refund = await this.#consume(site, destination.e164, country, request.ip, channel);

    const now = clock.now();
    const id = randomId(random);
    const code = this.#newCode(id, channel);
    const ttlMs = config.ttlSeconds * 1000;
    const session: Session = {
      id,
      siteKey: site.siteKey,
      phone: destination.e164,
      country,
      status: channel === 'sms' ? 'sent' : 'calling',
      ...code.fields,
      attemptsLeft: config.maxAttempts,
      locale: challenge?.lang ?? request.lang ?? site.locale ?? 'en',
      origin: request.origin!,
      createdAt: now,
      expiresAt: now + ttlMs,
      resendAt: now + config.resendSeconds * 1000,
      ...(challenge
        ? {
            challengeId: challenge.id,
            action: challenge.action,
            ...(challenge.context !== undefined ? { context: challenge.context } : {}),
            phoneMasked: maskPhone(destination.e164),
          }
        : {}),
    };
    await store.createSession(session, ttlMs + GRACE_MS);

    let sid: string | undefined;
    try {
      sid = await this.#send(session, code);
    } catch (error) {
      await store.updateSession(id, (current) => ({ next: { ...current, status: 'failed' }, result: undefined }));
      if (error instanceof HttpProblem) {
        await refund();
        throw error;
      }
      await this.#sendFailed(error, session, refund);
      if (error instanceof ProviderError) throw new HttpProblem(502, 'provider_unavailable');
      throw error;
    }
    const stored = sid ? await store.updateSession(id, (current) => ({ next: { ...current, callSid: sid }, result: undefined })) : null;
    const mode = challenge ? 'challenge' : 'phone';
    log('info', 'verification.started', { session: id, site: site.siteKey, country, mode, channel });
    metrics?.started(site.siteKey, country, mode, channel);
    return this.#view(stored?.session ?? session);
  }

  /**
   * A new code on the same session by another channel: the one before stops working, attempts start afresh,
   * the same limits and cooldown apply as to a start, and event streams on the session see the change.
   */
  async fallback(id: string, request: FallbackRequest): Promise<PublicSession> {
    const { config, store } = this.deps;
    const session = await store.getSession(id);
    if (!session) throw new HttpProblem(404, 'not_found');
    if (this.#originRefused(session, request.origin)) throw new HttpProblem(403, 'origin_not_allowed');
    const site = this.site(session.siteKey);
    if (!site) throw new HttpProblem(404, 'not_found');
    this.#allowChannel(site, request.channel);
    const work = () => this.#fallback(site, session, request);
    if (!request.idempotencyKey) return work();
    return this.#idempotency.run(
      `${site.siteKey}:fallback:${id}:${request.idempotencyKey}`,
      keyedHash(config.secret, 'idempotency', id, request.channel),
      work,
    );
  }

  async #fallback(site: SiteConfig, before: Session, request: FallbackRequest): Promise<PublicSession> {
    const { config, store, clock, log, metrics } = this.deps;
    const { channel } = request;
    endedProblem(effectiveStatus(before, clock.now()));
    const refund = await this.#consume(site, before.phone, before.country, request.ip, channel);
    const code = this.#newCode(before.id, channel);
    const now = clock.now();
    // The new code replaces the old in one write, so no moment accepts both; a session that ended meanwhile is left alone.
    const applied = await store.updateSession(before.id, (current): SessionChange<{ ended?: HttpProblem; previous?: Session }> => {
      const ended = endedProblem(effectiveStatus(current, clock.now()), false);
      if (ended) return { next: null, result: { ended } };
      const next: Session = {
        ...current,
        ...code.fields,
        status: channel === 'sms' ? 'sent' : 'calling',
        attemptsLeft: config.maxAttempts,
        resendAt: now + config.resendSeconds * 1000,
      };
      if (current.callSid ?? current.replacedCallSid) next.replacedCallSid = current.callSid ?? current.replacedCallSid;
      delete next.callSid;
      delete next.callSequence;
      delete next.callEnded;
      if (channel !== 'voice') delete next.voiceCode;
      return { next, result: { previous: current } };
    });
    if (!applied) {
      await refund();
      throw new HttpProblem(404, 'not_found');
    }
    if (applied.result.ended) {
      await refund();
      throw applied.result.ended;
    }
    const previous = applied.result.previous!;
    let sid: string | undefined;
    try {
      sid = await this.#send(applied.session, code);
    } catch (error) {
      const nothingSent = error instanceof HttpProblem || (await this.#sendFailed(error, applied.session, refund));
      if (error instanceof HttpProblem) await refund();
      if (nothingSent) {
        // Nothing reached the phone: the code before works again, as if this had not been asked.
        await store.updateSession(before.id, (current) => ({
          next: current.codeHash === code.fields.codeHash ? previous : null,
          result: undefined,
        }));
      }
      // Otherwise the new code may arrive, and stays the one that works.
      await store.publish(before.id);
      if (error instanceof ProviderError) throw new HttpProblem(502, 'provider_unavailable');
      throw error;
    }
    const stored = await store.updateSession(before.id, (current) => ({
      next: sid && current.codeHash === code.fields.codeHash ? { ...current, callSid: sid } : null,
      result: undefined,
    }));
    await store.publish(before.id);
    // The earlier call, if it still rings, only confuses now.
    this.#hangUp(previous);
    log('info', 'verification.fallback', { session: before.id, site: site.siteKey, channel, from: previous.channel ?? 'flash' });
    metrics?.fallback(site.siteKey, channel);
    return this.#view(stored?.session ?? applied.session);
  }

  /** A browser route may see a session only from its site's pages (an origin-less caller is not a browser). */
  #originRefused(session: Session, origin: string | undefined): boolean {
    return origin !== undefined && !originAllowed(this.site(session.siteKey)?.origins ?? [], origin);
  }

  async get(id: string, origin: string | undefined): Promise<PublicSession> {
    const session = await this.deps.store.getSession(id);
    if (!session) throw new HttpProblem(404, 'not_found');
    if (this.#originRefused(session, origin)) throw new HttpProblem(403, 'origin_not_allowed');
    return this.#view(session);
  }

  async check(id: string, code: string, origin: string | undefined): Promise<CheckResult> {
    const { config, store, clock, random, log, metrics } = this.deps;
    const codeHash = keyedHash(config.secret, 'code', id, code);

    // One read-modify-write does everything, the refusals included: with a shared store, one round trip fewer.
    const applied = await store.updateSession(id, (current): SessionChange<CheckOutcome> => {
      if (this.#originRefused(current, origin)) return { next: null, result: { refused: new HttpProblem(403, 'origin_not_allowed') } };
      if (!/^\d+$/.test(code) || code.length !== current.codeLength) {
        return { next: null, result: { refused: new HttpProblem(400, 'invalid_request', `code must be ${current.codeLength} digits.`) } };
      }
      const status = effectiveStatus(current, clock.now());
      if (TERMINAL_STATUSES.has(status)) {
        return {
          next: status === current.status ? null : { ...current, status },
          result: { outcome: status, endedNow: status !== current.status },
        };
      }
      if (digestsEqual(codeHash, current.codeHash)) {
        return { next: { ...current, status: 'verified', verifiedAt: clock.now() }, result: { outcome: 'accepted', endedNow: false } };
      }
      const attemptsLeft = current.attemptsLeft - 1;
      return {
        next: { ...current, attemptsLeft, status: attemptsLeft <= 0 ? 'locked' : current.status },
        result: { outcome: 'wrong', endedNow: attemptsLeft <= 0 },
      };
    });
    if (!applied) throw new HttpProblem(404, 'not_found');
    if ('refused' in applied.result) throw applied.result.refused;
    const { session: updated } = applied;
    const { outcome: result, endedNow } = applied.result;

    if (result !== 'accepted' && result !== 'wrong') {
      if (result === 'expired' && endedNow) metrics?.failed(updated.siteKey, 'expired');
      endedProblem(result);
    }
    await store.publish(id);
    if (result === 'wrong') {
      log('info', 'verification.wrong_code', { session: id, attemptsLeft: updated.attemptsLeft });
      metrics?.wrongCode(updated.siteKey);
      if (endedNow) metrics?.failed(updated.siteKey, 'too_many_attempts');
      throw new HttpProblem(422, 'wrong_code', undefined, {
        attemptsLeft: updated.attemptsLeft,
        sessionStatus: updated.status,
      });
    }

    if (updated.challengeId !== undefined) {
      // Spent by the first of its sessions to verify. A second session started from it before that (a retry
      // in another tab) may ring, but never gives a second token. The mark outlives the challenge itself.
      const spentBy = await store.putIfAbsent(spentKey(updated.challengeId), id, CHALLENGE_TTL_MS);
      if (spentBy !== id) throw new HttpProblem(409, 'challenge_spent');
    }
    const token = newVerificationToken(random);
    const tokenTtlMs = config.tokenTtlSeconds * 1000;
    const record: TokenRecord = {
      siteKey: updated.siteKey,
      phone: updated.phone,
      sessionId: id,
      verifiedAt: updated.verifiedAt!,
      origin: updated.origin,
      ...(updated.action !== undefined ? { action: updated.action } : {}),
      ...(updated.context !== undefined ? { context: updated.context } : {}),
    };
    await store.putToken(keyedHash(config.secret, 'token', token), record, tokenTtlMs);
    log('info', 'verification.verified', { session: id, site: updated.siteKey });
    metrics?.verified(updated.siteKey, updated.challengeId === undefined ? 'phone' : 'challenge', updated.channel ?? 'flash');
    this.#hangUp(updated);
    return {
      status: 'verified',
      token,
      tokenExpiresAt: new Date(clock.now() + tokenTtlMs).toISOString(),
      phone: updated.phoneMasked ?? updated.phone,
    };
  }

  /** A ringing phone after the code is in is noise; ending it is best effort and never delays the answer. */
  #hangUp(session: Session): void {
    if (!session.callSid) return;
    this.deps.provider.hangUp(session.callSid).catch((error: unknown) => {
      this.deps.log('warn', 'provider.hangup_failed', { session: session.id, reason: (error as Error).message });
    });
  }

  /** `ip` is the backend's address, which wrong secrets are counted against. */
  async redeem(secret: unknown, token: unknown, ip = 'unknown'): Promise<SiteverifyResult> {
    const { config, store } = this.deps;
    const fail = (...codes: SiteverifyError[]): SiteverifyResult => {
      this.deps.metrics?.siteverify(codes[0]!);
      return { success: false, 'error-codes': codes };
    };
    if (typeof secret !== 'string' || secret === '') return fail('missing-input-secret');
    // Every site is compared so the time taken does not tell which secrets are close. Several sites may share
    // one secret (one backend, several page keys): each of them may redeem its own tokens.
    const siteKeys = config.sites.filter((candidate) => constantTimeEqual(candidate.secret, secret)).map((site) => site.siteKey);
    if (siteKeys.length === 0) {
      await this.#countWrongSecret(ip);
      return fail('invalid-input-secret');
    }
    if (typeof token !== 'string' || token === '') return fail('missing-input-response');
    if (!/^fcvt_[A-Za-z0-9_-]{20,64}$/.test(token)) return fail('invalid-input-response');
    // The store compares the site before it deletes, in one step: another site's secret leaves the token alone.
    const record = await store.takeToken(keyedHash(config.secret, 'token', token), siteKeys);
    if (!record) return fail('timeout-or-duplicate');
    if (!siteKeys.includes(record.siteKey)) return fail('invalid-input-response');
    this.deps.log('info', 'token.redeemed', { session: record.sessionId, site: record.siteKey });
    this.deps.metrics?.siteverify('success');
    return {
      success: true,
      phone: record.phone,
      siteKey: record.siteKey,
      verifiedAt: new Date(record.verifiedAt).toISOString(),
      hostname: new URL(record.origin).hostname,
      action: record.action ?? null,
      context: record.context ?? null,
    };
  }

  /**
   * Wrong secrets are counted per client address (IPv6 by /64); past the limit the answer is a 429 until the
   * window ends. Right secrets are never counted nor refused, so a busy backend sharing an address with a
   * scanner keeps redeeming; what makes a secret unguessable is its length, and this keeps a scan loud and cheap.
   */
  async #countWrongSecret(ip: string): Promise<void> {
    const { store, clock, config, log, metrics } = this.deps;
    const { max, windowSeconds } = config.siteverifyLimit;
    const client = addressBlock(ip);
    const { count, resetAt } = await store.increment(`siteverify:${client}`, windowSeconds * 1000);
    if (count <= max) return;
    const retryAfter = Math.max(1, Math.ceil((resetAt - clock.now()) / 1000));
    if (count === max + 1) log('warn', 'siteverify.wrong_secrets', { client, max, windowSeconds });
    metrics?.siteverify('rate_limited');
    throw new HttpProblem(429, 'rate_limited', undefined, { retryAfter, limit: 'siteverify' }, { 'Retry-After': String(retryAfter) });
  }

  /**
   * The secret in a session's hook URLs: its id and a MAC of the id. Restcomm signs nothing, so this is
   * the callbacks' credential, and since it names its session no index is kept to find it.
   */
  hookToken(sessionId: string): string {
    return `${sessionId}.${keyedHash(this.deps.config.secret, 'hook', sessionId)}`;
  }

  /** The session id a genuine hook token names, or null for a forged one. */
  #hookSessionId(hookToken: string): string | null {
    const id = hookToken.slice(0, Math.max(0, hookToken.indexOf('.')));
    return id && constantTimeEqual(this.hookToken(id), hookToken) ? id : null;
  }

  /** Applies a provider status callback. Returns false when the hook token is unknown. */
  async applyCallStatus(hookToken: string, event: CallStatusEvent): Promise<boolean> {
    const { store } = this.deps;
    const id = this.#hookSessionId(hookToken);
    if (!id) return false;
    const applied = await store.updateSession(id, (current): SessionChange<{ changed: boolean; ended: boolean }> => {
      const unchanged = { next: null, result: { changed: false, ended: false } };
      if (current.callSid && current.callSid !== event.sid) return unchanged;
      // A call a fallback replaced, or any call once the code went by text.
      if (event.sid === current.replacedCallSid || current.channel === 'sms') return unchanged;
      // Replayed or reordered callbacks must never move a session back.
      if (event.sequence !== undefined && current.callSequence !== undefined && event.sequence <= current.callSequence) {
        return unchanged;
      }
      const next: Session = { ...current, callSid: event.sid };
      if (event.sequence !== undefined) next.callSequence = event.sequence;
      let ended = false;
      if (event.progress === 'completed' && current.callEnded === undefined) {
        next.callEnded = event.outcome ?? 'completed';
        ended = true;
      }
      const target = PROGRESS_STATUS[event.progress];
      const from = CALL_RANK[current.status];
      const changed = from !== undefined && CALL_RANK[target]! > from;
      if (changed) next.status = target;
      return { next, result: { changed, ended } };
    });
    if (!applied) return false;
    if (applied.result.ended) this.deps.metrics?.callEnded(applied.session.callEnded!);
    if (applied.result.changed) await store.publish(id);
    return true;
  }

  /**
   * The code to speak to a callee who answered. The code is not stored, so it is read back from the caller ID
   * the provider reports and accepted only if it hashes to the session's code.
   */
  async spokenCode(hookToken: string, callerId: string): Promise<{ code: string; locale: string; channel: Channel } | null> {
    const { config, store } = this.deps;
    const id = this.#hookSessionId(hookToken);
    const session = id ? await store.getSession(id) : null;
    if (!session) return null;
    if (session.channel === 'voice') {
      // A voice call comes from the one fixed caller ID: a call from any other number is not this one.
      if (!session.voiceCode || callerId.replace(/[^\d+]/g, '') !== config.voiceCallerId) return null;
      const code = unmaskCode(config.secret, session.codeHash, session.voiceCode);
      if (!digestsEqual(keyedHash(config.secret, 'code', session.id, code), session.codeHash)) return null;
      return { code, locale: session.locale, channel: 'voice' };
    }
    if (session.channel === 'sms') return null;
    const digits = callerId.replace(/\D/g, '');
    const code = digits.slice(-session.codeLength);
    if (code.length !== session.codeLength) return null;
    if (!digestsEqual(keyedHash(config.secret, 'code', session.id, code), session.codeHash)) return null;
    return { code, locale: session.locale, channel: 'flash' };
  }

  /** Session id behind a hook token while its session lives, for routes that only need to know it exists. */
  async hookSession(hookToken: string): Promise<string | null> {
    const id = this.#hookSessionId(hookToken);
    return id && (await this.deps.store.getSession(id)) ? id : null;
  }

  subscribe(id: string, listener: () => void): () => void {
    return this.deps.store.subscribe(id, listener);
  }
}
