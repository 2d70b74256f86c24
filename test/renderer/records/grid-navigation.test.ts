import { describe, expect, test } from 'vitest';
import type { RecordListItem } from '../../../shared/ipc-contract';
import { columnIn, nextPosition } from '../../../renderer/src/records/grid-navigation';

const row = (truncated: boolean): RecordListItem => ({ key: 'k', preview: 'v', truncated, valueBytes: 1, modifiedAt: 0, pending: false, conflicted: false });
const table = { rows: 100, pageRows: 10, rowAt: (index: number) => (index === 5 ? row(true) : index === 50 ? undefined : row(false)) };

describe('the records table moves its focus like a grid', () => {
  test('Up and Down move a row, keeping the column; the first and last rows stop them', () => {
    expect(nextPosition('ArrowDown', { row: 3, column: 'edit' }, table)).toEqual({ row: 4, column: 'edit' });
    expect(nextPosition('ArrowUp', { row: 0, column: 'key' }, table)).toEqual({ row: 0, column: 'key' });
    expect(nextPosition('ArrowDown', { row: 99, column: 'key' }, table)).toEqual({ row: 99, column: 'key' });
  });

  test('Page Up/Down move a screenful; Home and End reach the first and last record', () => {
    expect(nextPosition('PageDown', { row: 3, column: 'key' }, table)).toEqual({ row: 13, column: 'key' });
    expect(nextPosition('PageUp', { row: 3, column: 'key' }, table)).toEqual({ row: 0, column: 'key' });
    expect(nextPosition('End', { row: 3, column: 'value' }, table)).toEqual({ row: 99, column: 'value' });
    expect(nextPosition('Home', { row: 42, column: 'value' }, table)).toEqual({ row: 0, column: 'value' });
  });

  test("Left and Right go through a row's cells and buttons, Show all only where the value is shortened", () => {
    expect(nextPosition('ArrowRight', { row: 3, column: 'value' }, table)).toEqual({ row: 3, column: 'modified' });
    expect(nextPosition('ArrowRight', { row: 5, column: 'value' }, table)).toEqual({ row: 5, column: 'more' });
    expect(nextPosition('ArrowRight', { row: 3, column: 'delete' }, table)).toEqual({ row: 3, column: 'delete' });
    expect(nextPosition('ArrowLeft', { row: 3, column: 'key' }, table)).toEqual({ row: 3, column: 'key' });
    expect(nextPosition('ArrowLeft', { row: 3, column: 'more' }, table)).toEqual({ row: 3, column: 'key' });
  });

  test('a row without the column asked for gives the nearest one: Show all falls back to the value, a loading row to its key', () => {
    expect(columnIn(row(false), 'more')).toBe('value');
    expect(columnIn(undefined, 'delete')).toBe('key');
    expect(columnIn(row(true), 'more')).toBe('more');
  });

  test('an empty table has nowhere to go', () => {
    expect(nextPosition('ArrowDown', { row: 0, column: 'key' }, { ...table, rows: 0 })).toBeUndefined();
  });
});
