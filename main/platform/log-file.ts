// The log file in the profile dir: what support asks for when something went wrong on a user's
// machine. electron-log's Node transport writes each line as it comes and rotates the file at 1 MiB
// (the previous one is kept as main.old.log). Lines arrive already redacted (log.ts).
import { dirname, join } from 'node:path';
import log from 'electron-log/node';
import { createLogger, type LogEntry, type Logger } from './log';
import { openPrivateFolder } from './private-folder';

export const LOG_FILE_NAME = 'main.log';
const MAX_BYTES = 1024 * 1024;

/** A sink for the logger's JSON lines, appending to `<profileDir>/logs/main.log`. */
/** Where a profile's log goes: what the hosts name at start, since the terminal shows only part of it. */
export function logFileOf(profileDir: string): string {
  return join(profileDir, 'logs', LOG_FILE_NAME);
}

export function openLogFile(profileDir: string): { file: string; write(line: string): void } {
  const file = logFileOf(profileDir);
  const dir = dirname(file);
  // Only the user may read what the app logged about them, in logs an older version left readable too.
  openPrivateFolder(dir);
  const logger = log.create({ logId: `file:${file}` });
  logger.transports.console.level = false;
  logger.transports.file.level = 'silly';
  logger.transports.file.resolvePathFn = () => file;
  logger.transports.file.maxSize = MAX_BYTES;
  logger.transports.file.format = '{text}';
  logger.transports.file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  return { file, write: (line) => logger.info(line) };
}

/**
 * A warning or an error as a person reads it in a terminal: level, scope, message and the cause's
 * code and sentence, on one line. The entry is redacted already; its other fields are in the log file.
 */
export function terminalLine(entry: LogEntry): string {
  const error = typeof entry.error === 'object' && entry.error !== null ? (entry.error as { code?: unknown; message?: unknown }) : {};
  const cause = [entry.code, error.code, error.message].filter((part): part is string => typeof part === 'string' && part !== '');
  const where = entry.scope === undefined ? '' : ` (${entry.scope})`;
  const line = `${entry.level === 'error' ? 'error' : 'warning'}${where}: ${entry.message}${cause.length > 0 ? ` — ${cause.join(': ')}` : ''}`;
  return line.replace(/\s*\n\s*/g, ' ');
}

/**
 * The hosts' logger: every line to the profile's log file; warnings and errors also to the terminal
 * (stderr by default), one readable line each. Routine lines (a schema updated, services started)
 * stay in the file, so the terminal keeps what needs attention and the lines meant for people.
 */
export function createProfileLogger(profileDir: string, terminal: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)): Logger {
  const sink = openLogFile(profileDir);
  return createLogger({
    level: 'info',
    write: (line, entry) => {
      sink.write(line);
      if (entry.level === 'warn' || entry.level === 'error') terminal(terminalLine(entry));
    },
  });
}
