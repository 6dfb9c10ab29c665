export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Structured log sink: one JSON object a line. Callers pass only ids and outcomes; codes, tokens, secrets
 * and full caller IDs never reach it.
 */
export type Logger = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Writes lines at `minLevel` and above; debug lines (such as the sandbox phone's polling) are dropped by default. */
export function jsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  minLevel: LogLevel = 'info',
): Logger {
  return (level, event, fields = {}) => {
    if (RANK[level] < RANK[minLevel]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
  };
}

export const silentLogger: Logger = () => {};
