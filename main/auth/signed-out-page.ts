// The "you are signed out" page the IdP's logout sends the browser back to, on the loopback address
// (the redirect port, when the profile fixes one). At most one is open: a sign-out replaces the last
// one's, and a sign-in closes it first, since a fixed redirect port may still be held by it.
import type { Logger } from '../platform/log';
import { startSignedOutPage, type SignedOutPage } from './loopback-server';

export interface SignedOutPageSlot {
  /** Opens the page, closing the last one; its address, or undefined (its port taken: the IdP shows its own). */
  open(): Promise<string | undefined>;
  close(): Promise<void>;
}

export function signedOutPageSlot(port: number | undefined, log: Logger): SignedOutPageSlot {
  let page: SignedOutPage | undefined;

  async function close(): Promise<void> {
    const open = page;
    page = undefined;
    await open?.close();
  }

  return {
    async open() {
      await close();
      try {
        page = await startSignedOutPage({ port });
        return page.returnTo;
      } catch (error) {
        log.warn('could not open the signed-out page on the loopback address', { error });
        return undefined;
      }
    },
    close,
  };
}
