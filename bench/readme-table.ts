// README.md's benchmark table, generated from a results file (`npm run bench -- --readme`), never
// copied by hand: the block between the two markers is replaced, with the machine and load line of
// the run, and a partial run (--only) says which figures it lacks.

export const README_START = '<!-- bench-table:start (npm run bench -- --readme writes this block) -->';
export const README_END = '<!-- bench-table:end -->';

/** Figures where more is better; every other target is a ceiling. */
export const AT_LEAST_FIGURES: ReadonlySet<string> = new Set(['local_put_ops_per_s', 'local_get_ops_per_s']);

export interface ResultsForReadme {
  machine: string;
  measuredAt?: string;
  quick: boolean;
  figures: { name: string; value: number; unit: string; target: number; meets: boolean; baseline: string }[];
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function number(value: number): string {
  return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(value);
}

function withUnit(value: number, unit: string): string {
  return unit === 'ratio' || unit === 'requests' || unit === 'frames' ? number(value) : `${number(value)} ${unit}`;
}

/** The block (markers included) for these results; `all` lists every figure, to name the missing. */
export function renderTable(results: ResultsForReadme, all: readonly string[] = []): string {
  const measured = new Set(results.figures.map((figure) => figure.name));
  const missing = all.filter((name) => !measured.has(name));
  const when = results.measuredAt === undefined ? '' : ` on ${results.measuredAt.slice(0, 10)}`;
  const lines = [
    README_START,
    `Measured${when} on ${results.machine}.${results.quick ? ' **--quick run: small sizes, not the figures.**' : ''}` +
      (missing.length === 0 ? '' : ` Partial run: ${missing.map((name) => `\`${name}\``).join(', ')} not measured in it.`),
    '',
    '| figure | value | target | meets | what is measured |',
    '|---|---|---|---|---|',
    ...results.figures.map(
      (figure) =>
        `| \`${figure.name}\` | ${withUnit(figure.value, figure.unit)} | ${AT_LEAST_FIGURES.has(figure.name) ? '≥' : '≤'} ${withUnit(figure.target, figure.unit)} | ${figure.meets ? 'yes' : '**no**'} | ${cell(figure.baseline)} |`,
    ),
    README_END,
  ];
  return lines.join('\n');
}

/** The README with its block between the markers replaced; an error when the markers are missing. */
export function renderReadme(readme: string, results: ResultsForReadme, all: readonly string[] = []): string {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no benchmark block: put the lines\n${README_START}\n${README_END}\nwhere the table goes`);
  return readme.slice(0, start) + renderTable(results, all) + readme.slice(end + README_END.length);
}
