/**
 * Issue 15 items 4 and 9: requests that used to hang, write partial output, die with an
 * internal error or silently do the wrong thing are one line on stderr, exit 2, and leave
 * nothing behind.
 */
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { writeFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { lth, tempDir, writeTrial } from '../helpers/cli.js';

const good = { name: 'ok', experiment: 'weight-lemma', seeds: 10, delta: 0.1, params: { w: 0.5, epsilon: 0.1, k: 10 } };

function refused(args: string[], pattern: RegExp): string {
  const result = lth(args);
  expect(result.stderr).toMatch(pattern);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe('trial files', () => {
  const dir = tempDir();
  const run = (name: string, text: string, pattern: RegExp) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, text);
    const out = join(dir, `out-${name}`);
    refused(['run', path, '--out', out, '--quiet'], pattern);
    expect(existsSync(out)).toBe(false);
  };

  it('a key given twice in one object (JSON.parse would keep the last)', () => {
    run('dup', '{"name": "ok", "experiment": "weight-lemma", "seeds": 10, "delta": 0.1,\n  "params": {"k": 5, "w": 0.5, "k": 7}}',
      /dup\.json: not valid JSON \(line 2, column 32: key "k" appears twice in one object\)/);
  });

  it('a byte order mark, with line and column', () => {
    run('bom', '\uFEFF' + JSON.stringify(good), /bom\.json: not valid JSON \(line 1, column 1: a byte order mark/);
  });

  it('JSON nested 5000 deep', () => {
    const deep = '['.repeat(5000) + '1' + ']'.repeat(5000);
    run('deep', `{"name": "ok", "experiment": "weight-lemma", "seeds": 10, "delta": 0.1, "params": {"k": ${deep}}}`,
      /deep\.json: not valid JSON \(line 1, column \d+: nested deeper than 64 levels\)/);
  });

  for (const name of ['run.json', 'report.md', 'plots', 'run.lock', 'state.json', 'journal.bin']) {
    it(`a trial named ${name} (the run directory's own file)`, () => {
      run(`named-${name}`, JSON.stringify({ ...good, name }), new RegExp(`name must not be one of the run directory's own files .*\\(got "${name.replace('.', '\\.')}"\\)`));
    });
  }

  it('a log sweep of 10^8 values', () => {
    run('log', JSON.stringify({ ...good, params: { ...good.params, k: { log: [1, 1e9, 1e8] } } }),
      /params\.k must be \{"log": \[from, to, count\]\} with from, to > 0 and an integer count in \[1, 100000\]/);
  });

  it('10^6 cells, before expanding them', () => {
    const params = { ...good.params, k: { range: [1, 1000, 1] }, epsilon: { range: [0.001, 1, 0.001] } };
    run('cells', JSON.stringify({ ...good, params }), /a run may have at most 10000 cells \(got 1000000: .*cells\.json: 1000000\)/);
  });

  it('the cell cap counts all the trials of a run together', () => {
    const a = writeTrial(dir, { ...good, name: 'a', params: { ...good.params, k: { range: [1, 6000, 1] } } }, 'a.json');
    const b = writeTrial(dir, { ...good, name: 'b', params: { ...good.params, k: { range: [1, 6000, 1] } } }, 'b.json');
    refused(['run', a, b, '--dry-run'], /at most 10000 cells \(got 12000: .*a\.json: 6000; .*b\.json: 6000\)/);
  });
});

describe('widths that resolve beyond any run (tiny ε)', () => {
  const dir = tempDir();
  const cases: [string, object, RegExp][] = [
    ['weight-lemma k "theory"', { ...good, params: { w: 'uniform', epsilon: [0.1, 1e-20], k: 'theory' } }, /cell 1: k "theory" resolves to Infinity/],
    ['weight-lemma k "exact"', { ...good, params: { w: 0.5, epsilon: 1e-20, k: 'exact' } }, /cell 0: k "exact" resolves to Infinity/],
    ['weight-lemma beyond 2^53', { ...good, params: { w: 'uniform', epsilon: 1e-8, k: 'theory' } }, /cell 0: k "theory" resolves to 239658578677004030, not a value k can take/],
    ['weight-prune k "theory"', { ...good, experiment: 'weight-prune', params: { d: 2, n: 2, l: 1, epsilon: 1e-20, k: 'theory' } }, /cell 0: k "theory" resolves to Infinity/],
  ];
  for (const [label, trial, pattern] of cases) {
    it(label, () => {
      const path = writeTrial(dir, trial, `${label.replace(/\W+/g, '_')}.json`);
      const out = join(dir, `out-${label.replace(/\W+/g, '_')}`);
      refused(['run', path, '--out', out, '--quiet'], pattern);
      expect(existsSync(out)).toBe(false);
    });
  }
});

describe('"worst" targets where no exact ±M_i matrix is built (THEORY.md §2)', () => {
  it('is refused naming the cell, the layer and its shape', () => {
    const dir = tempDir();
    const path = writeTrial(dir, { ...good, experiment: 'weight-prune', params: { d: [4, 8], n: 8, l: 2, target: 'worst', k: 100 } });
    const out = join(dir, 'out');
    refused(['run', path, '--out', out, '--quiet'], /cell 0 .*target "worst" has no exact ±M_i construction for layer 1 \(n_1 × n_0 = 8 × 4: n_i > n_\{i−1\}/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('--out where no run directory can be', () => {
  const dir = tempDir();
  const path = writeTrial(dir, good);

  it('under /proc (Node 20\'s recursive mkdir would loop forever)', () => {
    refused(['run', path, '--out', '/proc/lth-test/run', '--quiet'], /\/proc\/lth-test\/run: cannot write the run directory \(\/proc is on the kernel's proc file system\)/);
    refused(['merge', dir, '--out', '/proc/lth-test/merged'], /\/proc\/lth-test\/merged: cannot write the run directory/);
  });

  // a read-only mount needs the privilege to mount one: skipped where the test cannot make it
  const mountPoint = join(dir, 'ro');
  mkdirSync(mountPoint);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', mountPoint]).status === 0;
  it.skipIf(!mounted)('on a read-only file system (EROFS)', () => {
    try {
      refused(['run', path, '--out', join(mountPoint, 'run'), '--quiet'], /ro\/run: cannot write the run directory \(EROFS: .*ro is on a read-only file system\)/);
    } finally {
      spawnSync('umount', [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });
});
