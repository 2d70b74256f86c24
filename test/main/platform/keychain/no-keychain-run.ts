// Test support, run as a child process with no D-Bus session (so no Secret Service): one app run
// that signs in or restores, printing what it saw as one JSON line. Input: env NO_KEYCHAIN_RUN.
import type { CloudProfile } from '../../../../shared/cloud-profile';
import { launchSystemBrowser, logInAndReturn, watchTokenResponses } from '../../../support/system-browser';
import { startTestApp } from '../../../support/test-app';

interface RunInput {
  mode: 'sign-in' | 'restore';
  profileDir: string;
  profile: CloudProfile;
  user: { username: string; password: string };
}

const input = JSON.parse(process.env.NO_KEYCHAIN_RUN ?? '{}') as RunInput;
const app = await startTestApp(input.profileDir, input.profile);
const result: Record<string, unknown> = { keychain: app.secrets.kind };

if (input.mode === 'sign-in') {
  const browser = await launchSystemBrowser();
  const watch = watchTokenResponses(`${input.profile.issuer}oauth/token`);
  try {
    app.platform.onOpen = async (url) => void (await logInAndReturn(browser, url, input.user));
    result.view = await app.session.signIn();
    await app.platform.browserSettled();
    const credentials = await app.credentials.get();
    result.firstNotices = app.session.takeNotices();
    result.laterNotices = app.session.takeNotices();
    result.secrets = [...watch.tokens, credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken];
  } finally {
    watch.stop();
    await browser.close();
  }
} else {
  result.view = await app.session.restore();
  result.firstNotices = app.session.takeNotices();
}
result.logLines = app.logLines;
app.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
