import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { writeFileSync, copyFileSync } from 'node:fs';
import { encodeNpy } from '../../src/data/npy.js';
import { parse } from 'csv-parse/sync';
import { lth, tempDir, writeTrial, read, ROOT } from '../helpers/cli.js';

/**
 * The report of a trained-prune trial with `construction: "direct"` cells shows, after the cell
 * table, our target and pruned accuracies beside Pensia et al. 2020's published experiment 1
 * (MNIST, 97.19% / 97.19%, k = 21, ε = 0.01, 21.5 h on 36 cores); other trials do not.
 */
const dir = tempDir();
copyFileSync(join(ROOT, 'examples/targets/fixtures/tiny-gemm.onnx'), join(dir, 'net.onnx'));
writeFileSync(join(dir, 'x.npy'), encodeNpy([4, 6], [...Array(24).keys()].map((v) => v / 10), '<f8'));
writeFileSync(join(dir, 'y.npy'), encodeNpy([4], [0, 1, 2, 1], '|u1'));
const common = { model: 'net.onnx', data: { images: 'x.npy', labels: 'y.npy' } };
const direct = writeTrial(dir, {
  name: 'direct', experiment: 'trained-prune', seeds: 2, delta: 0.1,
  params: { ...common, construction: 'direct', method: 'subset-sum', k: [8, 12], tau: 0.05 },
}, 'direct.json');
const product = writeTrial(dir, {
  name: 'product', experiment: 'trained-prune', seeds: 2, delta: 0.1,
  params: { ...common, k: 2000 },
}, 'product.json');
const out = join(dir, 'run');
const run = lth(['run', direct, product, '--out', out, '--quiet', '--threads', '1']);

describe('lth report: Pensia et al.\'s figures beside direct cells', () => {
  it('a direct trial gets the comparison table after its cell table; a product trial does not', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const md = read(join(out, 'report.md'));
    const sections = md.split(/^## /m);
    const directSection = sections.find((s) => s.startsWith('direct (trained-prune)'))!;
    const productSection = sections.find((s) => s.startsWith('product (trained-prune)'))!;
    expect(directSection).toContain('### Beside Pensia et al. 2020');
    expect(productSection).not.toContain('Pensia et al. 2020');
    expect(directSection.indexOf('### Beside Pensia et al. 2020')).toBeGreaterThan(directSection.indexOf('| cell |'));
    expect(directSection.indexOf('### Beside Pensia et al. 2020')).toBeLessThan(directSection.indexOf('### Theory vs measurement'));
    const pensia = directSection.split('\n').find((line) => line.startsWith('| Pensia et al. 2020, experiment 1'))!;
    expect(pensia).toContain('MNIST (a different data set)');
    expect(pensia).toContain('784-500-10, bias-free ReLU');
    expect(pensia).toContain('| 97.19% | 97.19% |');
    expect(pensia).toContain('| 21 |');
    expect(pensia).toContain('ε = 0.01');
    expect(pensia).toContain('21.5 h on 36 cores');
    // one row per direct cell with its summary's accuracies and the run's wall time
    const summary = parse(read(join(out, 'direct', 'summary.csv')), { columns: true }) as Record<string, string>[]; // the data column holds commas
    expect(summary).toHaveLength(2);
    const elapsed = JSON.parse(read(join(out, 'run.json'))).elapsed_s as number;
    for (const cell of summary) {
      const row = directSection.split('\n').find((line) => line.startsWith(`| this run, cell ${cell.cell} |`))!;
      expect(row).toContain(`| ${(100 * Number(cell.mean_target_accuracy)).toFixed(2)}% |`);
      expect(row).toContain(`| ${(100 * Number(cell.mean_pruned_accuracy)).toFixed(2)}% (mean; min ${(100 * Number(cell.min_pruned_accuracy)).toFixed(2)}%) |`);
      expect(row).toContain(`| ${cell.k} |`);
      expect(row).toContain(`| ${elapsed} s: the whole run`);
    }
  });
});
