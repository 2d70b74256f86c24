import { describe, expect, test } from 'vitest';
import { assignSlots, type RowSlots } from '../../../renderer/src/records/row-slots';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, offset) => from + offset);
const slotsOf = (slots: RowSlots, indices: number[]) => indices.map((index) => slots.get(index));

describe('rows scrolled into the records table reuse the elements of rows scrolled out', () => {
  test('scrolled by three rows, the rows that stay keep their element and the three new ones take the three freed', () => {
    const before = assignSlots(new Map(), range(0, 19));
    const after = assignSlots(before, range(3, 22));
    expect(slotsOf(after, range(3, 19))).toEqual(slotsOf(before, range(3, 19)));
    expect(new Set(slotsOf(after, range(20, 22)))).toEqual(new Set(slotsOf(before, range(0, 2))));
  });

  test('a jump far down uses every element already there, and no row shares one', () => {
    const before = assignSlots(new Map(), range(0, 19));
    const after = assignSlots(before, range(50_000, 50_019));
    expect(new Set(after.values())).toEqual(new Set(before.values()));
    expect(new Set(after.values()).size).toBe(20);
  });

  test('more rows than before (a taller window) adds elements without taking one a row still uses', () => {
    const before = assignSlots(new Map(), range(10, 14));
    const after = assignSlots(before, range(8, 20));
    expect(slotsOf(after, range(10, 14))).toEqual(slotsOf(before, range(10, 14)));
    expect(new Set(after.values()).size).toBe(13);
  });
});
