// The main process's logger. Everything it writes passes through `redact` first, because a log
// file is read by people and support tools that must never see a token or an AWS key.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** The same sink, with `scope` added to every line. */
  child(scope: string): Logger;
}

/** One entry as written: already redacted. */
export interface LogEntry extends LogFields {
  time: string;
  level: LogLevel;
  scope?: string;
  message: string;
}

export interface LoggerOptions {
  /** Receives one JSON line per entry, and the entry it encodes (default: the line to stderr). */
  write?: (line: string, entry: LogEntry) => void;
  level?: LogLevel;
  scope?: string;
  now?: () => number;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const REDACTED = '[redacted]';

// Field names whose values are secrets whatever they look like.
const SECRET_KEY =
  /token|secret|password|passwd|authorization|cookie|credential|verifier|assertion|^logins$|accesskey|sessiontoken|secretkey/i;
// `code` is an error code (SESSION_EXPIRED, ECONNREFUSED) or an OAuth authorization code: keep only the former.
const ERROR_CODE = /^[A-Z][A-Z0-9_]*$/;

const STRING_RULES: [RegExp, string][] = [
  // JWTs (ID tokens, access tokens): header.payload.signature in base64url.
  [/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '[jwt]'],
  // AWS access key IDs (long-term AKIA…, temporary ASIA…).
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, '[aws-key-id]'],
  // Secrets carried as URL or form parameters.
  [/([?&#](?:code|refresh_token|id_token|id_token_hint|access_token|code_verifier|client_secret|token)=)[^&#\s"']+/gi, `$1${REDACTED}`],
  // Opaque random strings (refresh tokens, AWS secret keys, session tokens): long runs that mix
  // upper case, lower case and digits, which identifiers like UUIDs and identity IDs never do.
  [/[A-Za-z0-9_\-+/=]{24,}/g, '\u0000'],
];

function redactString(text: string): string {
  let out = text;
  for (const [pattern, replacement] of STRING_RULES) {
    out =
      replacement === '\u0000'
        ? out.replace(pattern, (run) => (/[A-Z]/.test(run) && /[a-z]/.test(run) && /\d/.test(run) ? REDACTED : run))
        : out.replace(pattern, replacement);
  }
  return out;
}

/** A copy of `value` fit for a log: secret fields blanked, token-like strings replaced. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (value instanceof Error) {
    const view: Record<string, unknown> = { name: value.name, message: redactString(value.message) };
    const code = (value as { code?: unknown }).code;
    if (typeof code === 'string') view.code = code;
    if (value.cause !== undefined) view.cause = redact(value.cause, depth + 1);
    return view;
  }
  if (value instanceof URL) return redactString(value.href);
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const secret = SECRET_KEY.test(key) || (key === 'code' && !(typeof item === 'string' && ERROR_CODE.test(item)));
    out[key] = secret && item !== undefined && item !== null ? REDACTED : redact(item, depth + 1);
  }
  return out;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const threshold = LEVELS[options.level ?? 'info'];
  const now = options.now ?? Date.now;

  const entry = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (LEVELS[level] < threshold) return;
    const line: LogEntry = {
      time: new Date(now()).toISOString(),
      level,
      ...(options.scope === undefined ? {} : { scope: options.scope }),
      message: redactString(message),
      ...(fields === undefined ? {} : (redact(fields) as LogFields)),
    };
    write(JSON.stringify(line), line);
  };

  return {
    debug: entry('debug'),
    info: entry('info'),
    warn: entry('warn'),
    error: entry('error'),
    child: (scope) => createLogger({ ...options, write, scope: options.scope ? `${options.scope}.${scope}` : scope }),
  };
}

/** A logger that drops everything, for callers that were given none. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

/** Repeats of one failure are written once, not every sync: see createRepeatLog. */
export interface RepeatLog {
  /**
   * Writes the entry when `key` had no failure or another `signature` (an error code); otherwise
   * only counts it. Counted repeats are written as one line when the failure changes or ends, and
   * at most every `summaryEveryMs` while it lasts.
   */
  failed(key: string, signature: string, level: LogLevel, message: string, fields?: LogFields): void;
  /** `key` works again: its counted repeats, if any, are written, and its next failure is new. */
  ended(key: string): void;
}

/** Ten minutes: a failure that lasts all day adds six lines an hour, not 240. */
export const REPEAT_SUMMARY_EVERY_MS = 10 * 60 * 1000;

export function createRepeatLog(log: Logger, options: { now?: () => number; summaryEveryMs?: number } = {}): RepeatLog {
  const now = options.now ?? Date.now;
  const every = options.summaryEveryMs ?? REPEAT_SUMMARY_EVERY_MS;
  const open = new Map<string, { signature: string; level: LogLevel; message: string; repeated: number; since: number }>();

  function flush(key: string): void {
    const entry = open.get(key);
    if (entry === undefined || entry.repeated === 0) return;
    // The code only: the first line carried the details, which were the same every time.
    log[entry.level](`${entry.message}: repeated ${entry.repeated} more ${entry.repeated === 1 ? 'time' : 'times'}`, { code: entry.signature, repeated: entry.repeated });
    entry.repeated = 0;
    entry.since = now();
  }

  return {
    failed(key, signature, level, message, fields) {
      const entry = open.get(key);
      if (entry !== undefined && entry.signature === signature) {
        entry.repeated += 1;
        if (now() - entry.since >= every) flush(key);
        return;
      }
      flush(key);
      open.set(key, { signature, level, message, repeated: 0, since: now() });
      log[level](message, fields);
    },
    ended(key) {
      flush(key);
      open.delete(key);
    },
  };
}
