import { describe, expect, test } from 'vitest';
import { EXPORT_FORMAT } from '../../renderer/src/records/export-dataset';
import { checkImportText } from '../../renderer/src/records/import-file';

describe('an import file is read whole before anything is sent', () => {
  test('the export format and a plain object of strings are both read', () => {
    const exported = checkImportText(JSON.stringify({ format: EXPORT_FORMAT, dataset: 'Main', records: { a: '1', b: 'two' } }));
    expect(exported).toEqual({ ok: true, preview: { records: [{ key: 'a', value: '1' }, { key: 'b', value: 'two' }], bytes: 6, from: 'Main' } });
    expect(checkImportText('{"k": "v"}')).toMatchObject({ ok: true, preview: { records: [{ key: 'k', value: 'v' }] } });
  });

  test.each([
    ['not json', /not JSON/],
    ['[1, 2]', /no JSON object/],
    ['"text"', /no JSON object/],
    ['{}', /no records/],
    ['{"": "v"}', /empty key/],
    ['{"k": 1}', /"k" is number, not text/],
    ['{"k": null}', /is null, not text/],
    ['{"format": "other@9", "records": {}}', /format "other@9"/],
    [`{"format": "${EXPORT_FORMAT}"}`, /no "records" object/],
  ])('%s is refused whole, saying why', (text, message) => {
    const check = checkImportText(text);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });
});
