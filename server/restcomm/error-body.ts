/**
 * What of a Restcomm error answer may reach a log: its own error code and message, redacted. Error bodies
 * vary (plain text, `{"message":…}`, `{"code":…,"message":…}`, `{"error":"SMS_LIMIT_EXCEEDED"}`, XML
 * `<RestException>`), and some servers or
 * proxies echo the request back, with the caller ID (whose last digits are the code), the hook URLs (whose
 * path is the session's credential) and the Authorization header. None of that is ever logged: the message
 * is cut to one short line, numbers, URLs and anything credential-like are masked, and a message that still
 * reads like an echo of the request is dropped whole.
 */
export interface RestcommErrorSummary {
  code?: string;
  message?: string;
}

const MAX_MESSAGE = 160;

export function restcommErrorSummary(body: string, secrets: readonly string[] = []): RestcommErrorSummary {
  const text = body.trim();
  if (!text) return {};
  let code: unknown;
  let message: unknown;
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        const record = parsed as Record<string, unknown>;
        // Restcomm names some refusals by a constant alone: `{"error":"SMS_LIMIT_EXCEEDED"}`.
        const errorConstant = typeof record.error === 'string' && /^[A-Z][A-Z0-9_]{2,31}$/.test(record.error);
        code = record.code ?? record.error_code ?? (errorConstant ? record.error : undefined);
        message = record.message ?? (errorConstant ? undefined : record.error) ?? record.detail;
      }
    } catch {
      // Not JSON after all: nothing of it is trusted.
    }
  } else if (text.startsWith('<')) {
    code = /<Code>([^<]*)<\/Code>/i.exec(text)?.[1];
    message = /<Message>([^<]*)<\/Message>/i.exec(text)?.[1];
  } else {
    message = text.split(/\r?\n/, 1)[0];
  }
  const summary: RestcommErrorSummary = {};
  const codeText = typeof code === 'number' || typeof code === 'string' ? String(code).trim() : '';
  if (/^[\w.-]{1,32}$/.test(codeText)) summary.code = codeText;
  if (typeof message === 'string') {
    const redacted = redact(message, secrets);
    if (redacted && !looksLikeEcho(redacted)) summary.message = redacted;
  }
  return summary;
}

function redact(message: string, secrets: readonly string[]): string {
  let text = message.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) if (secret) text = text.split(secret).join('[redacted]');
  return text
    .replace(/\b(basic|bearer)\s+\S+/gi, '$1 [redacted]')
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '[url]')
    .replace(/\b(sip|client|tel):\S+/gi, '[address]')
    .replace(/\+?\d[\d ().-]{4,}\d/g, '[number]')
    .replace(/[A-Za-z0-9+/_=-]{24,}/g, '[redacted]')
    .slice(0, MAX_MESSAGE);
}

/** Form fields, headers or a request line: the request coming back, not Restcomm's word on it. */
function looksLikeEcho(text: string): boolean {
  return /authorization|\b(From|To|Url|StatusCallback\w*)\s*[=:]|[?&]\w+=|\b(POST|GET) \/|HTTP\/1/i.test(text);
}
