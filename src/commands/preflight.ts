import { accessSync, statSync, statfsSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errors } from '../errors.js';

/**
 * Checks made before `lth run` or `lth merge` touch the disk, so that a bad request is one
 * line, exit 2, and nothing written (issue 15 item 9).
 */

/** statfs magic numbers of kernel file systems where a run directory can never live. */
const VIRTUAL_FILE_SYSTEMS: Record<number, string> = { 0x9fa0: 'proc', 0x62656572: 'sysfs', 0x64626720: 'debugfs', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2' };

/**
 * The run directory `dir` can be created or written: its nearest existing ancestor (or
 * itself) is a writable directory on a real file system. Checked before any mkdir:
 * Node 20's recursive mkdir loops forever at 100% CPU under /proc (ENOENT on every
 * component), and a read-only mount (EROFS) would otherwise surface as an internal error.
 */
export function checkOutDir(dir: string): void {
  let path = resolve(dir);
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && dirname(path) !== path) {
        path = dirname(path);
        continue;
      }
      throw errors.unwritable(dir, code ?? String(e));
    }
    if (!isDirectory) throw errors.unwritable(dir, 'ENOTDIR');
    const kind = VIRTUAL_FILE_SYSTEMS[statfsSync(path).type];
    if (kind) throw errors.unwritable(dir, `${path} is on the kernel's ${kind} file system`);
    try {
      accessSync(path, constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw errors.unwritable(dir, code === 'EROFS' ? `EROFS: ${path} is on a read-only file system` : code ?? String(e));
    }
    return;
  }
}

