import { openSync, readFileSync, existsSync, ftruncateSync, writeSync, fsyncSync, closeSync } from 'node:fs';
import { errors } from '../errors.js';

/**
 * The append-only journal of a trial (DESIGN.md "Run directory"): a header, then
 * one line per finished seed, `cell,seed_index,seed_hex,<experiment columns>`, in
 * completion order. Each finished batch is appended with a single write, so a
 * kill -9 can leave at most one torn last line; it is dropped (and truncated away)
 * on resume, and its seeds are simply run again.
 */
export class Journal {
  private constructor(
    readonly file: string,
    private readonly fd: number,
  ) {}

  /**
   * Opens (creating if needed) the journal and reports which seeds it holds.
   * `markDone(cell, seed, line)` is called for every complete line.
   */
  static open(
    file: string,
    header: string,
    cellCount: number,
    columnCount: number,
    markDone: (cell: number, seed: number, line: string) => void,
  ): Journal {
    if (!existsSync(file)) {
      const fd = openSync(file, 'a');
      writeSync(fd, header + '\n');
      return new Journal(file, fd);
    }
    const text = readFileSync(file, 'utf8');
    const lastNewline = text.lastIndexOf('\n');
    const complete = text.slice(0, lastNewline + 1); // a torn last line has no '\n'
    const lines = complete.split('\n');
    lines.pop();
    if (lines.length === 0 || lines[0] !== header) {
      if (lines.length === 0 && text.length < header.length + 1) {
        // the header itself was torn: start over
        const fd = openSync(file, 'w');
        writeSync(fd, header + '\n');
        return new Journal(file, fd);
      }
      throw errors.corruptJournal(file, 1, `header is not "${header.slice(0, 60)}"`);
    }
    const fieldCount = 3 + columnCount;
    for (let j = 1; j < lines.length; j++) {
      const line = lines[j];
      const first = line.indexOf(',');
      const second = line.indexOf(',', first + 1);
      const cell = Number(line.slice(0, first));
      const seed = Number(line.slice(first + 1, second));
      if (!Number.isInteger(cell) || cell < 0 || cell >= cellCount || !Number.isInteger(seed) || seed < 0 ||
          countFields(line) !== fieldCount) {
        throw errors.corruptJournal(file, j + 1, `expected ${fieldCount} fields with a cell in [0, ${cellCount - 1}]`);
      }
      markDone(cell, seed, line);
    }
    const fd = openSync(file, 'r+');
    ftruncateSync(fd, Buffer.byteLength(complete));
    closeSync(fd);
    return new Journal(file, openSync(file, 'a'));
  }

  /** Appends complete lines (each ending in '\n') in one write, then flushes them to disk. */
  append(lines: string): void {
    writeSync(this.fd, lines);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function countFields(line: string): number {
  let n = 1;
  for (let j = 0; j < line.length; j++) if (line.charCodeAt(j) === 44) n++;
  return n;
}
