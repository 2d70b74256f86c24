// Which element each drawn row of the records table uses: a row that stays keeps its slot, a row
// that scrolls in takes the slot of one that scrolled out. The slot is the row's React key, so a
// scroll updates the elements it already has instead of removing some and creating others — a
// thumb drag through 100,000 records replaces every row each frame.
import { useLayoutEffect, useRef } from 'react';

/** Slots by row index: the drawn rows' indices mapped to small numbers, none used twice. */
export type RowSlots = ReadonlyMap<number, number>;

/** The slots for the rows `indices`, keeping those of `previous` for rows still drawn. */
export function assignSlots(previous: RowSlots, indices: readonly number[]): RowSlots {
  const next = new Map<number, number>();
  const taken = new Set<number>();
  for (const index of indices) {
    const slot = previous.get(index);
    if (slot === undefined) continue;
    next.set(index, slot);
    taken.add(slot);
  }
  if (next.size === indices.length) return next;
  // The slots of rows that scrolled out first (lowest first), then the lowest slot free.
  const free = [...previous.values()].filter((slot) => !taken.has(slot)).sort((one, other) => other - one);
  let lowest = 0;
  for (const index of indices) {
    if (next.has(index)) continue;
    let slot = free.pop();
    if (slot === undefined) {
      while (taken.has(lowest)) lowest += 1;
      slot = lowest;
    }
    next.set(index, slot);
    taken.add(slot);
  }
  return next;
}

/** The slots of the rows drawn now, assigned from those of the last render that was committed. */
export function useRowSlots(indices: readonly number[]): RowSlots {
  const committed = useRef<RowSlots>(new Map());
  const slots = assignSlots(committed.current, indices);
  useLayoutEffect(() => {
    committed.current = slots;
  });
  return slots;
}
