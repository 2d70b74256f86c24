import { describe, expect, it } from 'vitest';
import { createImportStaging } from '../../../../main/datasets/store/import-staging';

describe('import staging', () => {
  it('bounds the open imports of an identity, with IMPORT_LIMIT saying what to do', () => {
    const staging = createImportStaging({ maxOpen: 2 });
    staging.begin('id-1', 'D');
    staging.begin('id-1', 'D');
    expect(() => staging.begin('id-1', 'D')).toThrow(expect.objectContaining({ code: 'IMPORT_LIMIT', message: expect.stringMatching(/Finish or cancel/) }));
  });

  it('bounds the bytes staged by an identity across its imports; the import that breaks it is dropped whole', () => {
    const staging = createImportStaging({ maxBytes: 1000 });
    const one = staging.begin('id-1', 'D');
    const two = staging.begin('id-1', 'D');
    expect(staging.add('id-1', one, [{ key: 'a', value: 'v'.repeat(599) }])).toBe(1);
    // Replacing a key counts its new size, not both.
    expect(staging.add('id-1', one, [{ key: 'a', value: 'v'.repeat(599) }])).toBe(1);
    expect(() => staging.add('id-1', two, [{ key: 'b', value: 'v'.repeat(400) }])).toThrow(expect.objectContaining({ code: 'IMPORT_LIMIT' }));
    expect(() => staging.take('id-1', two)).toThrow(expect.objectContaining({ code: 'IMPORT_NOT_FOUND' }));
    expect(staging.take('id-1', one).records.get('a')).toHaveLength(599);
  });

  it('keeps one identity at a time, and drops everything (and any begin raced by it) on dropAll', () => {
    const staging = createImportStaging();
    const first = staging.begin('id-1', 'D');
    staging.add('id-1', first, [{ key: '__proto__', value: 'kept as a key' }]);
    staging.begin('id-2', 'D');
    expect(() => staging.take('id-1', first)).toThrow(expect.objectContaining({ code: 'IMPORT_NOT_FOUND' }));
    const before = staging.generation();
    const second = staging.begin('id-2', 'D');
    staging.dropAll();
    expect(() => staging.take('id-2', second)).toThrow(expect.objectContaining({ code: 'IMPORT_NOT_FOUND' }));
    expect(() => staging.begin('id-2', 'D', before)).toThrow(expect.objectContaining({ code: 'IMPORT_NOT_FOUND' }));
    const third = staging.begin('id-2', 'D', staging.generation());
    staging.add('id-2', third, [{ key: '__proto__', value: 'v' }]);
    expect([...staging.take('id-2', third).records]).toEqual([['__proto__', 'v']]);
  });
});
