import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HttpProblem } from '../errors.js';
import { requestHeader } from './request-header.js';

export type Fields = Record<string, unknown>;

/** A JSON object body, or a problem that says what is wrong with it. */
export async function readJsonObject(c: Context): Promise<Fields> {
  const type = requestHeader(c, 'content-type') ?? '';
  if (!/^application\/(.+\+)?json\s*(;|$)/i.test(type)) {
    throw new HttpProblem(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
  let value: unknown;
  try {
    value = JSON.parse(await c.req.text());
  } catch {
    throw new HttpProblem(400, 'invalid_request', 'The body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpProblem(400, 'invalid_request', 'The body must be a JSON object.');
  }
  return value as Fields;
}

/** JSON or an HTML form's encoding: what server-side callers of siteverify send. */
export async function readJsonOrForm(c: Context): Promise<Fields> {
  const type = requestHeader(c, 'content-type') ?? '';
  if (/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
    return Object.fromEntries(new URLSearchParams(await c.req.text()));
  }
  return readJsonObject(c);
}

/** Form parameters of a provider callback, from the body of a POST or the query of a GET. */
export async function readCallbackParams(c: Context): Promise<Record<string, string>> {
  if (c.req.method === 'GET') return c.req.query();
  return Object.fromEntries(new URLSearchParams(await c.req.text()));
}

/**
 * A JSON object body checked against `schema`: the parsed, typed value, or the first issue as an
 * `invalid_request` problem that names its `field`. Schemas are built once at load, so a request pays for one
 * `JSON.parse` and one synchronous parse.
 */
export async function readJsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.output<T>> {
  return validInput(await readJsonObject(c), schema);
}

/** `value` checked against `schema`, or the first issue as an `invalid_request` problem. */
export function validInput<T extends z.ZodType>(value: unknown, schema: T): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw inputProblem(result.error.issues[0]!, value);
}

/** One zod issue in words a client developer reads, with the field it is about. */
function inputProblem(issue: z.core.$ZodIssue, input: unknown): HttpProblem {
  const field = issue.path.map(String).join('.');
  if (!field) return new HttpProblem(400, 'invalid_request', 'The body must be a JSON object.');
  const value = issue.path.reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Fields)[key as string] : undefined), input);
  let detail: string;
  if (value === undefined || value === null || value === '') detail = `${field} is required.`;
  else if (issue.code === 'invalid_type') detail = `${field} must be a ${issue.expected}.`;
  else if (issue.code === 'too_big') detail = `${field} is longer than ${issue.maximum} characters.`;
  else if (issue.code === 'invalid_format') detail = `${field} is not in the expected format.`;
  else detail = `${field} is not valid.`;
  return new HttpProblem(400, 'invalid_request', detail, { field });
}
