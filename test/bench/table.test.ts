import { renderTable } from '../../bench/table';

describe('renderTable', () => {
  it('pads every column to its widest cell and rules off the header', () => {
    // Act
    const table = renderTable(
      ['figure', 'now'],
      [
        ['npm test, s', '361.2'],
        ['chat', '16'],
      ],
    );

    // Assert
    expect(table.split('\n')).toEqual([
      '| figure      | now   |',
      '|-------------|-------|',
      '| npm test, s | 361.2 |',
      '| chat        | 16    |',
    ]);
  });

  it('leaves a missing cell blank', () => {
    // Act
    const table = renderTable(['a', 'b'], [['x']]);

    // Assert
    expect(table.split('\n')[2]).toBe('| x |   |');
  });
});
