// The few statistics the benchmark figures share: medians of rounds with their range printed, and
// quantiles of latencies.

/** The median of `values` (the lower middle one for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((one, other) => one - other);
  return sorted[(sorted.length - 1) >> 1]!;
}

/** "median …, range min–max over n rounds" of a list, with `digits` decimals. */
export function spread(values: readonly number[], digits: number): string {
  return `median ${median(values).toFixed(digits)}, range ${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)} over ${values.length} rounds`;
}

/** The `q`-quantile of `values` (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((one, other) => one - other);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
