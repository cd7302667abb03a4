/**
 * Issue 15 item 17: the trial files' JSON Schema is generated from the zod schemas; the
 * committed trials/schema.json is that output (regenerate with `npm run schema`), and every
 * shipped trial points to it with "$schema" and uses only parameters it declares.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { trialJsonSchema } from '../../src/trial/json-schema.js';
import { parseTrial } from '../../src/trial/load.js';
import { experiments } from '../../src/experiments/index.js';

const TRIALS = join(import.meta.dirname, '..', '..', 'trials');
const shipped = ['quick', 'paper'].flatMap((folder) => readdirSync(join(TRIALS, folder)).filter((f) => f.endsWith('.json')).map((f) => join(TRIALS, folder, f)));

interface Branch { if: { properties: { experiment: { const: string } } }; then: { properties: { params: { properties: Record<string, unknown> } } } }

describe('trial JSON Schema', () => {
  const schema = trialJsonSchema() as { properties: Record<string, unknown>; allOf: Branch[] };

  it('trials/schema.json is up to date (npm run schema)', () => {
    expect(JSON.parse(readFileSync(join(TRIALS, 'schema.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(schema)));
  });

  it('has every top-level field and, per experiment, every parameter', () => {
    expect(Object.keys(schema.properties).sort()).toEqual(['$schema', 'confidence', 'delta', 'description', 'experiment', 'name', 'params', 'rows', 'seeds', 'stop']);
    for (const experiment of Object.values(experiments)) {
      const branch = schema.allOf.find((b) => b.if.properties.experiment.const === experiment.name)!;
      expect(Object.keys(branch.then.properties.params.properties)).toEqual(Object.keys(experiment.params));
    }
  });

  it(`every shipped trial (${shipped.length}) has "$schema": "../schema.json", loads, and uses declared parameters only`, () => {
    expect(shipped.length).toBeGreaterThanOrEqual(10);
    for (const file of shipped) {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      expect(json.$schema, file).toBe('../schema.json');
      expect(() => parseTrial(file, json)).not.toThrow();
      const branch = schema.allOf.find((b) => b.if.properties.experiment.const === json.experiment)!;
      for (const name of Object.keys(json.params ?? {})) expect(branch.then.properties.params.properties, `${file}: ${name}`).toHaveProperty([name]);
    }
  });

  it('"$schema" must be a string', () => {
    const trial = { name: 'x', experiment: 'weight-lemma', seeds: 1, delta: 0.1 };
    expect(() => parseTrial('x.json', { ...trial, $schema: '../schema.json' })).not.toThrow();
    expect(() => parseTrial('x.json', { ...trial, $schema: 3 })).toThrow(/x\.json: \$schema must be the path or URL/);
  });
});
