// Test support: a person signing in from the browser host's page, as the e2e journeys do — Sign in
// opens the local IdP's login page in a new tab, they log in there, the page shows their email.
import type { Page } from 'playwright-core';

export async function signInInPopup(page: Page, user: { username: string; password: string }): Promise<void> {
  const popup = page.context().waitForEvent('page');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  const idp = await popup;
  await idp.getByLabel('Username').fill(user.username);
  await idp.getByLabel('Password').fill(user.password);
  await idp.getByRole('button', { name: 'Log in' }).click();
  await page.getByText(user.username).waitFor();
  await idp.close();
}
