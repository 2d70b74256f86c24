// electron-updater only runs in an installed build: a development run checks no feed.
import { expect, test } from 'vitest';
import { checkForAppUpdates } from '../../../main/shell/auto-update';
import { createLogger } from '../../../main/platform/log';

test('a run that is not packaged checks for no update and logs nothing', async () => {
  const lines: string[] = [];
  const log = createLogger({ write: (line) => lines.push(line), level: 'debug' });
  expect(await checkForAppUpdates({ isPackaged: false, log })).toBe(false);
  expect(lines).toEqual([]);
});
