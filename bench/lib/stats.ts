/** Small statistics over timings, and the formatting every table uses. */

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function min(values: number[]): number {
  return values.length === 0 ? Number.NaN : Math.min(...values);
}

export function max(values: number[]): number {
  return values.length === 0 ? Number.NaN : Math.max(...values);
}

export function seconds(value: number, digits = 2): string {
  return Number.isFinite(value) ? `${value.toFixed(digits)} s` : "—";
}

export function ms(value: number, digits = 1): string {
  return Number.isFinite(value) ? `${value.toFixed(digits)} ms` : "—";
}

export function mb(bytes: number, digits = 0): string {
  return Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(digits)} MB` : "—";
}

export function ratio(value: number, digits = 1): string {
  return Number.isFinite(value) ? `${value.toFixed(digits)}×` : "—";
}

export function percent(value: number, digits = 0): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(digits)} %` : "—";
}

export function verdict(met: boolean): string {
  return met ? "met" : "**missed**";
}

/** A Markdown table, columns padded as the formatter writes them; the console shows the same text. */
export function table(header: string[], rows: string[][]): string {
  const escapeCell = (cell: string) => cell.replace(/\|/g, "\\|");
  const cells = [header, ...rows].map((row) => row.map(escapeCell));
  const widths = header.map((_, i) => Math.max(3, ...cells.map((row) => [...(row[i] ?? "")].length)));
  const line = (row: string[]) =>
    `| ${widths.map((width, i) => (row[i] ?? "") + " ".repeat(width - [...(row[i] ?? "")].length)).join(" | ")} |`;
  return [
    line(cells[0]!),
    `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`,
    ...cells.slice(1).map(line),
  ].join("\n");
}
