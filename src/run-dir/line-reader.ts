import { openSync, readSync, closeSync } from 'node:fs';

/**
 * Reads a text file line by line through a fixed buffer (no whole-file read: files of any
 * size, beyond V8's 512 MiB string limit). Lines are returned as Buffers without the '\n'.
 */
export class LineReader {
  private readonly fd: number;
  private buffer: Buffer;
  private start = 0;
  private end = 0;
  private position = 0;
  private eof = false;

  constructor(readonly file: string, chunk = 1 << 20) {
    this.fd = openSync(file, 'r');
    this.buffer = Buffer.allocUnsafe(chunk);
  }

  /** The next line (a final line without '\n' included), or null at the end. */
  next(): Buffer | null {
    for (;;) {
      const newline = this.buffer.indexOf(10, this.start);
      if (newline >= 0 && newline < this.end) {
        const line = this.buffer.subarray(this.start, newline);
        this.start = newline + 1;
        return line;
      }
      if (this.eof) {
        if (this.start < this.end) {
          const line = this.buffer.subarray(this.start, this.end);
          this.start = this.end;
          return line;
        }
        return null;
      }
      this.fill();
    }
  }

  private fill(): void {
    // keep the partial line, grow when a line is longer than the buffer
    const rest = this.end - this.start;
    if (rest === this.buffer.length) {
      const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(bigger, 0, this.start, this.end);
      this.buffer = bigger;
    } else {
      this.buffer.copy(this.buffer, 0, this.start, this.end);
    }
    this.start = 0;
    this.end = rest;
    const n = readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, this.position);
    if (n === 0) this.eof = true;
    this.position += n;
    this.end += n;
  }

  close(): void {
    closeSync(this.fd);
  }
}
