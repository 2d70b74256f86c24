// The sign-out sequence, once the session has let go of the user: the keychain entry goes first
// (so nothing can restore it), then — online, best effort — the refresh token is revoked and the
// IdP's logout page opens in the system browser, returning to the app's signed-out page. Signing
// out never fails for want of the network: it only reports what it could not do.
import type { Configuration } from 'openid-client';
import type { Logger } from '../platform/log';
import type { Platform } from '../platform/platform';
import type { SecretStore } from '../platform/keychain/secret-store';
import { buildLogoutUrl, revokeQuietly, type ProviderSettings } from './identity-provider';
import type { SignedOutPageSlot } from './signed-out-page';

export interface SignOutContext {
  settings: ProviderSettings;
  platform: Platform;
  secrets: SecretStore;
  log: Logger;
  discovered(): Promise<Configuration>;
  signedOutPage: SignedOutPageSlot;
  /** Where the IdP's logout returns to, instead of the signed-out page (AuthSessionOptions.logoutReturnTo). */
  logoutReturnTo?: string;
}

/** Forgets `account`, revokes its refresh token and opens the IdP's logout page, as far as it can. */
export async function signOutOf(
  context: SignOutContext,
  ended: { account: string; refreshToken: string },
  removeLocalData: boolean,
): Promise<{ revoked: boolean; logoutUrl: string | undefined }> {
  const { platform, log } = context;
  await context.secrets.remove(ended.account);
  log.info('signed out', { removeLocalData });
  if (!platform.isOnline()) return { revoked: false, logoutUrl: undefined };
  let revoked = false;
  try {
    const config = await context.discovered();
    // A refresh token we will not keep is revoked, so it cannot outlive the app's decision.
    revoked = await revokeQuietly(config, context.settings, ended.refreshToken, log);
    const url = buildLogoutUrl(config, context.settings, context.logoutReturnTo ?? (await context.signedOutPage.open()));
    await platform.openExternal(url.href);
    return { revoked, logoutUrl: url.href };
  } catch (error) {
    await context.signedOutPage.close();
    log.warn('could not open the identity provider logout page', { error });
    return { revoked, logoutUrl: undefined };
  }
}
