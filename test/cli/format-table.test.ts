import { formatTable, formatTimestamp, printable } from '../../src/cli/format-table';

describe('formatTable', () => {
  it('left-aligns columns two spaces apart, without trailing spaces', () => {
    expect(formatTable(['A', 'LONG HEADER', 'C'], [['xxxx', 'y', ''], ['z', 'w', 'v']])).toBe('A     LONG HEADER  C\nxxxx  y\nz     w            v\n');
  });

  it.each([
    ['an escape sequence', 'evil\u001b[2Jname', 'evil?[2Jname'],
    ['a bidi override', 'abc\u202edcba', 'abc?dcba'],
    ['a zero-width space', 'a\u200bb', 'a?b'],
    ['a line separator', 'a\u2028b', 'a?b'],
    ['a newline', 'a\nb', 'a?b'],
  ])('shows %s in a cell as ?', (_label, cell, shown) => {
    expect(printable(cell)).toBe(shown);
    expect(formatTable(['NAME'], [[cell]])).toBe(`NAME\n${shown}\n`);
  });
});

describe('formatTimestamp', () => {
  it('prints UTC to the second, or the placeholder for null', () => {
    expect(formatTimestamp(new Date('2025-01-31T12:34:56.789Z'), '-')).toBe('2025-01-31T12:34:56Z');
    expect(formatTimestamp(null, 'never')).toBe('never');
  });
});
