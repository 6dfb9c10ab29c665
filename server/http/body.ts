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

export function requiredString(fields: Fields, name: string, maxLength: number): string {
  const value = fields[name];
  if (value === undefined || value === null || value === '') {
    throw new HttpProblem(400, 'invalid_request', `${name} is required.`, { field: name });
  }
  if (typeof value !== 'string') throw new HttpProblem(400, 'invalid_request', `${name} must be a string.`, { field: name });
  if (value.length > maxLength) {
    throw new HttpProblem(400, 'invalid_request', `${name} is longer than ${maxLength} characters.`, { field: name });
  }
  return value;
}

export function optionalString(fields: Fields, name: string, maxLength: number): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null || value === '') return undefined;
  return requiredString(fields, name, maxLength);
}
