import { describe, it, expect } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineReader } from '../../src/run-dir/line-reader.js';

describe('LineReader', () => {
  it('streams lines through a buffer smaller than a line, no whole-file read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lth-lines-'));
    const lines = ['a', '', 'x'.repeat(100), 'bc,de', 'y'.repeat(33), 'last without newline'];
    const file = join(dir, 'f.csv');
    writeFileSync(file, lines.join('\n'));
    for (const chunk of [1, 3, 7, 64, 1 << 16]) {
      const reader = new LineReader(file, chunk);
      const got: string[] = [];
      for (let line = reader.next(); line !== null; line = reader.next()) got.push(line.toString());
      reader.close();
      expect(got).toEqual(lines);
    }
  });
});
