/** A table as rows of cells; the first row is the header. */
export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

const isNumeric = (cell: string): boolean => /^[-+]?[\d.,]+/.test(cell);

/**
 * The table as aligned plain text for the console: numbers right-aligned.
 *
 * @example
 * console.log(renderTable({ headers: ['a', 'b'], rows: [['1', '2']] }));
 */
export const renderTable = ({ headers, rows }: Table): string => {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[], header: boolean): string =>
    cells
      .map((cell, c) =>
        !header && isNumeric(cell) && c > 0 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers, true), rule, ...rows.map((r) => line(r, false))].join('\n');
};

/**
 * The table as GitHub markdown.
 *
 * @example
 * markdownTable({ headers: ['a', 'b'], rows: [['1', '2']] }); // '| a | b |\n| --- | --- |\n| 1 | 2 |'
 */
export const markdownTable = ({ headers, rows }: Table): string => {
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
};
