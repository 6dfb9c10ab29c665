/**
 * The shapes of the HTTP API that the element and the server share, inferred from the schemas in
 * `schemas.ts`. Types only, so the element's bundle takes nothing from the server by importing them.
 */
import type { z } from '@hono/zod-openapi';
import type {
  ChallengeRequestSchema,
  ChallengeSchema,
  ChannelSchema,
  CheckRequestSchema,
  CheckResultSchema,
  FallbackRequestSchema,
  ProblemCodeSchema,
  SessionStatusSchema,
  SiteverifyErrorSchema,
  SiteverifyResultSchema,
  StartRequestSchema,
  VerificationSchema,
} from './schemas.js';

/** How a code reaches the phone. */
export type ChannelName = z.infer<typeof ChannelSchema>;

/** The body of a fallback, as validated. */
export type FallbackBody = z.infer<typeof FallbackRequestSchema>;

/** A verification's status, as the API reports it. */
export type SessionStatus = z.infer<typeof SessionStatusSchema>;

/** What a browser may learn of a session: never the code, the hook token or the full caller ID. Times are ISO 8601. */
export type PublicSession = z.infer<typeof VerificationSchema>;

/** The stable `code` of every problem answer; a client may branch on it. */
export type ProblemCode = z.infer<typeof ProblemCodeSchema>;

/** The body of a start, as validated. */
export type StartBody = z.infer<typeof StartRequestSchema>;

/** The body of a check, as validated. */
export type CheckBody = z.infer<typeof CheckRequestSchema>;

/** A right code's answer. */
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** siteverify's answer, `success` either way. */
export type SiteverifyResult = z.infer<typeof SiteverifyResultSchema>;

/** reCAPTCHA's error codes, as siteverify uses them. */
export type SiteverifyError = z.infer<typeof SiteverifyErrorSchema>;

/** A challenge request, as validated. */
export type ChallengeBody = z.infer<typeof ChallengeRequestSchema>;

/** A created challenge. */
export type Challenge = z.infer<typeof ChallengeSchema>;
