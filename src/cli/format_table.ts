/** Colours one cell after padding, so alignment is computed on the plain text. */
export type CellStyle = (column: string, cell: string, padded: string) => string;

const gap = "   ";

/** Column widths for a header and its rows; rows printed later (--watch) reuse them. */
export function columnWidths(header: string[], rows: string[][]): number[] {
  return header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
}

/** One aligned line; the last column is not padded. */
export function formatRow(cells: string[], widths: number[], header: string[], style?: CellStyle): string {
  return cells
    .map((cell, i) => {
      const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0);
      return style ? style(header[i], cell, padded) : padded;
    })
    .join(gap)
    .trimEnd();
}

/** An aligned table without borders, like kubectl and flux print. */
export function formatTable(header: string[], rows: string[][], opts: { noHeader?: boolean; style?: CellStyle } = {}): string[] {
  const widths = columnWidths(header, rows);
  const lines = rows.map((r) => formatRow(r, widths, header, opts.style));
  return opts.noHeader ? lines : [formatRow(header, widths, header), ...lines];
}
