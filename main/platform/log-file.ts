// The log file in the profile dir: what support asks for when something went wrong on a user's
// machine. electron-log's Node transport writes each line as it comes and rotates the file at 1 MiB
// (the previous one is kept as main.old.log). Lines arrive already redacted (log.ts).
import { join } from 'node:path';
import log from 'electron-log/node';
import { createLogger, type Logger } from './log';
import { openPrivateFolder } from './private-folder';

export const LOG_FILE_NAME = 'main.log';
const MAX_BYTES = 1024 * 1024;

/** A sink for the logger's JSON lines, appending to `<profileDir>/logs/main.log`. */
export function openLogFile(profileDir: string): { file: string; write(line: string): void } {
  const dir = join(profileDir, 'logs');
  const file = join(dir, LOG_FILE_NAME);
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

/** The hosts' logger: every line to stderr and to the profile's log file. */
export function createProfileLogger(profileDir: string): Logger {
  const sink = openLogFile(profileDir);
  return createLogger({
    level: 'info',
    write: (line) => {
      process.stderr.write(`${line}\n`);
      sink.write(line);
    },
  });
}
