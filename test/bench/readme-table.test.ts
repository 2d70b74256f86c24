// README.md's benchmark table comes from a results file: the block between the markers is
// rewritten from it (machine line, every figure with its target and whether it meets it), the
// rest of the README is left as it was, and a partial run names what it lacks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { README_END, README_START, renderReadme } from '../../bench/readme-table';

const results = {
  machine: '2 × Test CPU, 8 GB, linux 6.1, Node v22.12.0, load 1.5 1.2 1.0 at start',
  measuredAt: '2026-01-02T03:04:05.000Z',
  quick: false,
  figures: [
    { name: 'first_pull_100k_s', value: 12.34, unit: 's', target: 20, meets: true, baseline: 'engine pull | into an empty device' },
    { name: 'local_put_ops_per_s', value: 3220.4, unit: 'ops/s', target: 1000, meets: true, baseline: 'store.put, each durable' },
    { name: 'bridge_put_p99_ms', value: 17.5, unit: 'ms', target: 15, meets: false, baseline: 'one records.put' },
  ],
};

test('the block between the markers is rendered from the results; the text around it stays', () => {
  const readme = `# Title\n\nbefore\n${README_START}\nold table\n${README_END}\nafter\n`;
  const next = renderReadme(readme, results, ['first_pull_100k_s', 'local_put_ops_per_s', 'bridge_put_p99_ms', 'sqlite_file_mb_100k']);
  expect(next.startsWith('# Title\n\nbefore\n')).toBe(true);
  expect(next.endsWith(`${README_END}\nafter\n`)).toBe(true);
  expect(next).not.toContain('old table');
  expect(next).toContain('Measured on 2026-01-02 on 2 × Test CPU, 8 GB, linux 6.1, Node v22.12.0, load 1.5 1.2 1.0 at start.');
  expect(next).toContain('Partial run: `sqlite_file_mb_100k` not measured in it.');
  expect(next).toContain('| `first_pull_100k_s` | 12.34 s | ≤ 20 s | yes | engine pull \\| into an empty device |');
  expect(next).toContain('| `local_put_ops_per_s` | 3,220 ops/s | ≥ 1,000 ops/s | yes | store.put, each durable |');
  expect(next).toContain('| `bridge_put_p99_ms` | 17.5 ms | ≤ 15 ms | **no** | one records.put |');
  // Rendering again gives the same README.
  expect(renderReadme(next, results, ['first_pull_100k_s', 'local_put_ops_per_s', 'bridge_put_p99_ms', 'sqlite_file_mb_100k'])).toBe(next);
});

test('a README without the markers is refused, and the repository README has them', () => {
  expect(() => renderReadme('# no block\n', results)).toThrow(/no benchmark block/);
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  expect(readme).toContain(README_START);
  expect(readme).toContain(README_END);
});
