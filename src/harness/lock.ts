import { openSync, writeSync, closeSync, readFileSync, unlinkSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { errors } from '../errors.js';
import { LOCK } from '../run-dir/files.js';

export interface LockHolder {
  pid: number;
  host: string;
  started: string;
}

/** The holder of a run directory's lock, or null when it is free (or held by a dead process here). */
export function lockHolder(dir: string): LockHolder | null {
  const file = join(dir, LOCK);
  if (!existsSync(file)) return null;
  let holder: LockHolder;
  try {
    holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return null; // torn while being written: its writer died before finishing a 60-byte write
  }
  if (holder.host === hostname() && !alive(holder.pid)) return null;
  return holder;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a process killed a moment ago can linger as a zombie (or exiting) until its parent reaps it: dead for us
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc: trust kill(pid, 0)
  }
}

export function describeHolder(holder: LockHolder): string {
  return `pid ${holder.pid} on ${holder.host}, since ${holder.started}`;
}

/**
 * Takes the run directory's lock (DESIGN.md: one writer at a time): `run.lock` created
 * exclusively with this process's pid and host. A lock whose process is gone (same host)
 * is stale and taken over; a live one is refused with its holder named.
 * Returns the release function (also called on exit).
 */
export function acquireLock(dir: string): () => void {
  const file = join(dir, LOCK);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          const holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
          if (holder.pid === process.pid && holder.host === hostname()) unlinkSync(file);
        } catch { /* gone already */ }
      };
      process.on('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw errors.unwritable(dir, (e as NodeJS.ErrnoException).code ?? String(e));
      const stale = readRaw(file);
      const holder = lockHolder(dir);
      if (holder) throw errors.locked(dir, describeHolder(holder));
      pauseForTest();
      // two processes can judge the same dead holder's lock stale at once: the one that recovers it first
      // has written its own lock by now, which the other must not delete. So delete only what was judged stale.
      if (readRaw(file) !== stale) continue;
      try { unlinkSync(file); } catch { /* another process recovered it first */ }
    }
  }
  throw errors.locked(dir, 'the lock changed hands while being recovered');
}

function readRaw(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** LTH_TEST_LOCK_PAUSE_MS: a pause between judging a lock stale and removing it, so a test can make two recoveries overlap. */
function pauseForTest(): void {
  const ms = Number(process.env.LTH_TEST_LOCK_PAUSE_MS ?? 0);
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
