// Whether a phrase is laid out left to right where it stands: a right-to-left override in user
// text next to it must not reorder it (the page isolates user text with <bdi>).
import type { Locator } from 'playwright-core';

/** Whether `phrase`, inside the element's text, is laid out left to right (its first letter left of its last). */
export function readsLeftToRight(locator: Locator, phrase: string): Promise<boolean> {
  return locator.evaluate((element, wanted) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent!.indexOf(wanted);
      if (at < 0) continue;
      const charBox = (index: number) => {
        const range = document.createRange();
        range.setStart(node, index);
        range.setEnd(node, index + 1);
        return range.getBoundingClientRect();
      };
      const first = charBox(at);
      const last = charBox(at + wanted.length - 1);
      return first.top < last.top || (Math.abs(first.top - last.top) < 2 && first.left < last.left);
    }
    throw new Error(`"${wanted}" is not in the element's text`);
  }, phrase);
}
