// When this device tells the cloud its name: only when the cloud lacks it or holds an older one, so
// a sync in which nothing changed stays one request, and two copies of one profile never take turns.
import { expect, test } from 'vitest';
import { needsTelling } from '../../../../main/datasets/sync/exchange-device-names';

const mine = { name: 'Laptop', renamedAt: 10 };
const told = (name: string, renamedAt: number) => ({ id: 'device-a', name, renamedAt });

test('told when the cloud has no name for this device', () => {
  expect(needsTelling(mine, undefined)).toBe(true);
});

test('not told when the cloud holds this name already, whenever it was told', () => {
  expect(needsTelling(mine, told('Laptop', 10))).toBe(false);
  expect(needsTelling(mine, told('Laptop', 3))).toBe(false);
});

test('told when the cloud holds another name told before this one was chosen', () => {
  expect(needsTelling(mine, told('Old name', 9))).toBe(true);
  expect(needsTelling({ name: 'Laptop', renamedAt: 1 }, told('box', 0))).toBe(true);
});

test('not told over a name told as late or later (a copy of this profile elsewhere, or two computer names)', () => {
  expect(needsTelling(mine, told('Other copy', 10))).toBe(false);
  expect(needsTelling(mine, told('Other copy', 11))).toBe(false);
  expect(needsTelling({ name: 'box-1', renamedAt: 0 }, told('box-2', 0))).toBe(false);
});
