// Test support: the check every e2e screen gets — axe in the light and the dark colour scheme, no
// serious or critical violation allowed, and a screenshot of each kept for a person to look at.
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export interface CheckScreenOptions {
  /** Where the screenshots go, as `${name}-${scheme}.png` (`${name}-${width}x${height}-${scheme}.png` with sizes). */
  dir: string;
  /** Window sizes to check the screen at, one after the other; the window is left at the first. */
  sizes?: readonly { width: number; height: number }[];
  /** The screenshot before axe, for a screen that changes by itself while axe takes its time. */
  screenshotFirst?: boolean;
}

/** axe on the screen as it is, then a screenshot of it, in light and dark (at each of `sizes`); then the page's own colour scheme again. */
export async function checkScreen(page: Page, name: string, { dir, sizes, screenshotFirst = false }: CheckScreenOptions): Promise<void> {
  for (const size of sizes ?? [undefined]) {
    if (size) await page.setViewportSize(size);
    const shown = size ? `${name} ${size.width}x${size.height}` : name;
    const file = size ? `${name}-${size.width}x${size.height}` : name;
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const screenshot = () => page.screenshot({ path: join(dir, `${file}-${scheme}.png`) });
      if (screenshotFirst) await screenshot();
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
      expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`), `${shown} (${scheme})`).toEqual([]);
      if (!screenshotFirst) await screenshot();
    }
  }
  await page.emulateMedia({ colorScheme: null });
  if (sizes?.[0]) await page.setViewportSize(sizes[0]);
}
