import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { lth, tempDir, writeTrial } from '../helpers/cli.js';

describe('lth run --dry-run', () => {
  const dir = tempDir();
  const trial = writeTrial(dir, { name: 'd', experiment: 'weight-lemma', seeds: 100, delta: 0.1, params: { w: [0.5, 'uniform'], k: 50, delta: [0.1, 0.01] } });

  it('prints cells, seeds, structural keys and an estimate, warns where "above" is impossible, writes nothing', () => {
    const out = join(dir, 'never');
    const result = lth(['run', trial, '--dry-run', '--out', out]);
    expect(result.code).toBe(0);
    expect(existsSync(out)).toBe(false);
    const lines = result.stdout.split('\n');
    expect(lines.filter((l) => /^ {2}cell \d+: /.test(l))).toHaveLength(4);
    expect(result.stdout).toContain('structural {"w":0.5}');
    expect(result.stdout).toContain('structural {"w":"uniform"}');
    // 100 seeds: enough at δ = 0.1 (36 needed), not at δ = 0.01 (368 needed)
    expect(lines.filter((l) => l.includes('WARNING'))).toHaveLength(2);
    expect(result.stdout).toMatch(/cannot give "above" at δ = 0.01 \(needs ≥ 368\)/);
    expect(result.stdout).toMatch(/total: 400 seeds, estimated \S+ on \d+ thread/);
  });

  it('for early-stopped trials, warns with the confidence sequence\'s requirement', () => {
    const decided = writeTrial(dir, { name: 'dd', experiment: 'weight-lemma', seeds: 500, delta: 0.01, stop: 'decided', params: { k: 50 } }, 'dd.json');
    expect(lth(['run', decided, '--dry-run']).stdout).toMatch(/500 seeds cannot give "above" at δ = 0.01 \(needs ≥ 1024\)/);
  });

  it('counts only the shard\'s seeds', () => {
    const result = lth(['run', trial, '--dry-run', '--shard', '1/4']);
    expect(result.stdout).toMatch(/4 cells × 25 seeds/);
  });
});

describe('lth plan', () => {
  it('prints the seeds needed for "above" for both methods, at p = 1 and p = 1 − δ/2', () => {
    const out = lth(['plan', '--delta', '0.01']).stdout;
    expect(out).toMatch(/fixed seeds, Clopper–Pearson\s+true p = 1 \(every seed succeeds\)\s+368\n/);
    expect(out).toMatch(/--until-decided, confidence sequence at 64·2\^j\s+true p = 1 \(every seed succeeds\)\s+1024\n/);
    expect(out).toMatch(/true p = 1 − δ\/2 = 0.995/);
    expect(lth(['plan', '--delta', '0.1']).stdout).toMatch(/Clopper–Pearson\s+true p = 1 \(every seed succeeds\)\s+36\n/);
    const bad = lth(['plan', '--delta', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('lth: --delta must be a number in (0, 1) (got "2")');
  });
});
