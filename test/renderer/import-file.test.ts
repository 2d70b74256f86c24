import { describe, expect, test } from 'vitest';
import { DEFAULT_LIMITS } from '../../main/datasets/limits';
import { EXPORT_FORMAT } from '../../renderer/src/records/export-dataset';
import { checkImportText, IMPORT_KEY_MAX_BYTES, IMPORT_PROBLEMS_NAMED, IMPORT_VALUE_MAX_BYTES, type ImportCheck } from '../../renderer/src/records/import-file';

const exported = (records: string) => `{"format": "${EXPORT_FORMAT}", "dataset": "Main", "records": ${records}}`;
const refusal = (check: ImportCheck) => {
  if (check.ok) throw new Error('the file was accepted');
  return check;
};

describe('an import file is read whole before anything is sent', () => {
  test('the export format and a plain object of strings are both read', () => {
    const check = checkImportText(JSON.stringify({ format: EXPORT_FORMAT, dataset: 'Main', records: { a: '1', b: 'two' } }));
    expect(check).toEqual({ ok: true, preview: { records: [{ key: 'a', value: '1' }, { key: 'b', value: 'two' }], bytes: 6, from: 'Main' } });
    expect(checkImportText('{"k": "v"}')).toMatchObject({ ok: true, preview: { records: [{ key: 'k', value: 'v' }] } });
  });

  test('records come in the order the file writes them, keys that look like numbers included', () => {
    const check = checkImportText(exported('{"b": "1", "10": "2", "a": "3", "2": "4", "__proto__": "5"}'));
    expect(check.ok && check.preview.records.map((record) => record.key)).toEqual(['b', '10', 'a', '2', '__proto__']);
  });

  test('escapes, nested text and whitespace around the records do not confuse where each record is', () => {
    const text = ` \n{ "dataset" : "{\\"records\\": {}}", "format":"${EXPORT_FORMAT}",\t"records" : {"a\\"b": "x\\\\", "c\\u0041": "}{", "": "e"} }\n`;
    const check = refusal(checkImportText(text));
    expect(check.problems).toEqual([{ record: 3, text: 'the key is empty; a key needs at least one character.' }]);
  });

  test.each([
    ['not json', /not JSON/],
    ['[1, 2]', /no JSON object/],
    ['"text"', /no JSON object/],
    ['{}', /no records/],
    ['{"format": "other@9", "records": {}}', /format "other@9"/],
    [`{"format": "${EXPORT_FORMAT}"}`, /no "records" object/],
  ])('%s is refused whole in one sentence', (text, message) => {
    const check = refusal(checkImportText(text));
    expect(check.message).toMatch(message);
    expect(check.problems).toEqual([]);
  });

  test('a bad file lists every problem of its records, each with the record position and key, not only the first', () => {
    const long = 'k'.repeat(IMPORT_KEY_MAX_BYTES + 1);
    const text = exported(
      JSON.stringify({ ok: 'fine', '': 'empty key', n: 1, z: null, o: {}, l: [], [long]: 'v', big: 'x'.repeat(IMPORT_VALUE_MAX_BYTES + 1), also: 'fine' }).replace(
        /}$/,
        ', "ok": "again"}',
      ),
    );
    const check = refusal(checkImportText(text));
    expect(check.message).toBe('The file has 8 problems; fix them and choose the file again.');
    expect(check.problemCount).toBe(8);
    expect(check.problems).toEqual([
      { record: 2, text: 'the key is empty; a key needs at least one character.' },
      { record: 3, key: 'n', text: 'the value is number, not text (a JSON string).' },
      { record: 4, key: 'z', text: 'the value is null, not text (a JSON string).' },
      { record: 5, key: 'o', text: 'the value is object, not text (a JSON string).' },
      { record: 6, key: 'l', text: 'the value is an array, not text (a JSON string).' },
      { record: 7, key: long, text: `the key is 129 bytes of UTF-8; a key takes at most 128.` },
      { record: 8, key: 'big', text: 'the value is 193 KiB of UTF-8; a value takes at most 192 KiB.' },
      { record: 10, key: 'ok', text: 'the same key as record 1; a key may appear once.' },
    ]);
  });

  test('a key written twice is found even when JSON would keep only the last, and in a plain object too', () => {
    const check = refusal(checkImportText('{"a": "1", "b": "2", "a": "3", "\\u0062": "4"}'));
    expect(check.problems).toEqual([
      { record: 3, key: 'a', text: 'the same key as record 1; a key may appear once.' },
      { record: 4, key: 'b', text: 'the same key as record 2; a key may appear once.' },
    ]);
  });

  test('lone surrogates in a key or a value are named, since they cannot be stored as UTF-8', () => {
    const check = refusal(checkImportText('{"a\\ud800": "v", "b": "x\\udc00"}'));
    expect(check.problems.map((problem) => [problem.record, problem.text])).toEqual([
      [1, 'the key holds a lone surrogate, which is not text that can be stored.'],
      [2, 'the value holds a lone surrogate, which is not text that can be stored.'],
    ]);
  });

  test(`past ${IMPORT_PROBLEMS_NAMED} problems the first are named and the rest counted`, () => {
    const records = Object.fromEntries(Array.from({ length: 45 }, (_, index) => [`key${index}`, index % 3 === 0 ? 'fine' : index]));
    const check = refusal(checkImportText(JSON.stringify(records)));
    expect(check.problemCount).toBe(30);
    expect(check.problems).toHaveLength(IMPORT_PROBLEMS_NAMED);
    expect(check.problems[0]).toMatchObject({ record: 2, key: 'key1' });
    expect(check.problems.at(-1)).toMatchObject({ record: 30, key: 'key29' });
    expect(check.message).toBe('The file has 30 problems; fix them and choose the file again.');
  });

  test('one bad record says "a problem"', () => {
    const check = refusal(checkImportText('{"k": 1}'));
    expect(check.message).toBe('The file has a problem; fix it and choose the file again.');
    expect(check.problems).toEqual([{ record: 1, key: 'k', text: 'the value is number, not text (a JSON string).' }]);
  });

  test("the file check's limits are the store's", () => {
    expect(IMPORT_KEY_MAX_BYTES).toBe(DEFAULT_LIMITS.keyMaxBytes);
    expect(IMPORT_VALUE_MAX_BYTES).toBe(DEFAULT_LIMITS.valueMaxBytes);
  });
});
