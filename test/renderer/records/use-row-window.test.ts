import { describe, expect, test } from 'vitest';
import { scrollTopFor, visibleRows } from '../../../renderer/src/records/use-row-window';

const geometry = { rowHeight: 36, headerHeight: 36 };

describe('the rows on screen follow from the scroll position', () => {
  test('at the top, the rows under the header up to the bottom edge; a row cut by the edge counts', () => {
    expect(visibleRows(geometry, 0, 400)).toEqual({ first: 0, last: 10 });
  });

  test('scrolled into the middle of 100,000 rows, the rows there, at no cost per row above', () => {
    expect(visibleRows(geometry, 36 * 50_000, 400)).toEqual({ first: 49_999, last: 50_010 });
  });
});

describe('moving to a row scrolls only as far as needed to show it whole', () => {
  test('End on 5,000 rows puts the last row at the bottom edge', () => {
    const clientHeight = 400;
    const top = scrollTopFor(geometry, 4_999, 0, clientHeight);
    expect(top).toBe(36 + 5_000 * 36 - clientHeight);
    expect(visibleRows(geometry, top!, clientHeight).last).toBe(4_999);
  });

  test('a row above the screen comes to sit just under the sticky header', () => {
    expect(scrollTopFor(geometry, 10, 36 * 100, 400)).toBe(36 * 10);
  });

  test('a row already whole on screen does not scroll', () => {
    expect(scrollTopFor(geometry, 3, 0, 400)).toBeUndefined();
  });
});
