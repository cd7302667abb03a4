import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { writeFileSync, existsSync, readFileSync } from 'node:fs';
import { lth, tempDir, writeTrial } from '../helpers/cli.js';

/** A user error is one line on stderr naming the file, the field and what is allowed; exit 2; nothing written. */
const good = { name: 'ok', experiment: 'weight-lemma', seeds: 10, delta: 0.1, params: { w: 0.5, epsilon: 0.1, k: 10 } };

function expectOneLine(args: string[], pattern: RegExp) {
  const result = lth(args);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  return lines[0];
}

describe('bad trial files', () => {
  const dir = tempDir();
  const cases: [string, unknown, RegExp][] = [
    ['epsilon ≤ 0', { ...good, params: { ...good.params, epsilon: -1 } }, /trial\.json: params\.epsilon must be a number in \(0, 1\] \(got -1\)/],
    ['δ outside (0, 1)', { ...good, delta: 1.5 }, /trial\.json: delta must be a number in \(0, 1\)/],
    ['k < 1 inside a sweep', { ...good, params: { ...good.params, k: [10, 0] } }, /params\.k\[1\] must be an integer ≥ 1, "theory" or "exact" \(got 0\)/],
    ['non-integer seeds', { ...good, seeds: 2.5 }, /trial\.json: seeds must be an integer in \[1, 10\^12\]/],
    ['unknown experiment', { ...good, experiment: 'weight-lema' }, /experiment must be one of weight-lemma.* \(got "weight-lema"\)/],
    ['mistyped parameter', { ...good, params: { ...good.params, epsilom: 0.1 } }, /params\.epsilom is not a parameter of weight-lemma \(did you mean "epsilon"\?\)/],
    ['empty sweep', { ...good, params: { ...good.params, k: [] } }, /params\.k is an empty sweep/],
    ['missing delta', { ...good, delta: undefined }, /delta is required: a number in \(0, 1\)/],
    ['unknown top-level field', { ...good, seed: 3 }, /unknown field "seed" \(did you mean "seeds"\?\)/],
    ['w out of range', { ...good, params: { ...good.params, w: 2 } }, /params\.w must be a number in \[-1, 1\] or "uniform" \(got 2\)/],
  ];
  for (const [label, trial, pattern] of cases) {
    it(label, () => {
      const path = writeTrial(dir, trial as object, `${label.replace(/\W+/g, '_')}.json`.replace(/^_/, 'x'));
      const out = join(dir, 'out-' + label.replace(/\W+/g, '_'));
      expectOneLine(['run', path, '--out', out, '--quiet'], new RegExp(pattern.source.replace('trial\\.json', '')));
      expect(existsSync(out)).toBe(false);
    });
  }

  it('not JSON, with line and column', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{\n  "name": "x",\n  "seeds": 10,,\n}');
    expectOneLine(['run', path, '--quiet', '--out', join(dir, 'o')], /broken\.json: not valid JSON \(line 3, column \d+/);
  });

  it('missing file', () => {
    expectOneLine(['run', join(dir, 'nope.json'), '--quiet'], /nope\.json: no such file/);
  });
});

describe('bad flags and run directories', () => {
  const dir = tempDir();
  const path = writeTrial(dir, good);
  it('--threads 0', () => expectOneLine(['run', path, '--threads', '0', '--quiet'], /--threads must be an integer in \[1, \d+\]/));
  it('--shard 3/2', () => expectOneLine(['run', path, '--shard', '3/2', '--quiet'], /--shard must be i\/N with 0 ≤ i < N/));
  it('--seeds 1.5', () => expectOneLine(['run', path, '--seeds', '1.5', '--quiet'], /--seeds must be an integer ≥ 1/));
  it('unknown flag', () => expectOneLine(['run', path, '--thread', '2'], /Unknown argument/));

  it('a run directory from another configuration is refused, naming the differences', () => {
    const out = join(dir, 'run');
    expect(lth(['run', path, '--out', out, '--quiet']).code).toBe(0);
    const other = writeTrial(dir, { ...good, params: { ...good.params, k: 20 } }, 'other.json');
    const line = expectOneLine(['run', other, '--out', out, '--quiet'], /run directory holds a different configuration/);
    expect(line).toMatch(/ok cell 0 k 10 vs 20/);
    expect(line).toMatch(/--fresh/);
    expect(lth(['run', other, '--out', out, '--quiet', '--fresh']).code).toBe(0);
  });

  it('an existing directory that is not a run directory is refused', () => {
    const out = join(dir, 'notrun');
    expect(lth(['run', path, '--out', dir, '--quiet']).code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });

  it('an unwritable --out', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expectOneLine(['run', path, '--out', join(file, 'sub'), '--quiet'], /a-file\/sub: cannot write the run directory \(ENOTDIR\)/);
  });

  it('--threads above 4× the cores', () => expectOneLine(['run', path, '--threads', '999', '--quiet'], /--threads must be an integer in \[1, \d+\] \(4× the cores\) \(got "999"\)/));

  it('a corrupt journal is refused', () => {
    const out = join(dir, 'corrupt');
    expect(lth(['run', path, '--out', out, '--quiet', '--seeds', '5']).code).toBe(0);
    const journal = join(out, 'ok', 'journal.bin');
    const bytes = readFileSync(journal);
    bytes[bytes.length - 3] ^= 1; // one bit of the last record
    writeFileSync(journal, bytes);
    expectOneLine(['run', path, '--out', out, '--quiet'], /journal\.bin: changed since the run completed \(its last block differs\)/);
    writeFileSync(journal, 'cell,seed,something,else\n');
    expectOneLine(['run', path, '--out', out, '--quiet'], /journal\.bin: changed since the run completed/);
  });
});
