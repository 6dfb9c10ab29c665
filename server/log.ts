export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Structured log sink: one JSON object a line. Callers pass only ids and outcomes; codes, tokens, secrets
 * and full caller IDs never reach it.
 */
export type Logger = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(line + '\n')): Logger {
  return (level, event, fields = {}) => write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
}

export const silentLogger: Logger = () => {};
