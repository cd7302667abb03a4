import { z } from 'zod';
import type { ParamSpec, Value } from './types.js';
import { UserError } from '../errors.js';
import { twoClassSphere, type TwoClassSphere } from '../data/two-class-sphere.js';

/** The forms a `data` parameter takes (trained-prune, neuron-rf, memorize): the loader of src/data/dataset.ts. */
export const DATA_FORMS = '"fashion-mnist" (Debian\'s dataset-fashion-mnist), a directory of MNIST-style IDX files (train-*/t10k-*, gzip or plain), or {"images": FILE, "labels": FILE} (IDX or .npy)';

/**
 * `data`, `split` and `classes` of the neuron experiments (THEORY.md §8–§9 on real points; see
 * src/data/two-class-sphere.ts): optional, so a trial without them is the synthetic experiment,
 * byte for byte. Not structural: paths are not canonical (the configuration hash records the
 * data's sha256 instead, as trained-prune does), so cells that differ only in these see the
 * same streams.
 */
export function sphereDataParams(use: string): Record<string, ParamSpec> {
  return {
    data: {
      schema: z.string().min(1).nullable(), default: null, structural: false, file: true, keywords: ['fashion-mnist'], optional: true,
      doc: `real points instead of synthetic ones: ${DATA_FORMS}, paths relative to the trial file (the configuration hash uses the files' sha256). ` +
        'The points of the two `classes` are centered by their mean μ and projected to the sphere, x = (z − μ)/‖z − μ‖ (a point equal to μ is dropped); ' +
        `d is the data's dimension. ${use} null: synthetic points`,
      allowed: 'null, "fashion-mnist", a directory, or {"images": FILE, "labels": FILE}',
    },
    split: {
      schema: z.enum(['test', 'train']), default: 'test', structural: false, optional: true,
      doc: 'with data: which split of a directory data set', allowed: '"test" or "train"',
    },
    classes: {
      schema: z.tuple([z.number().int().min(0), z.number().int().min(0)]).refine(([a, b]) => a !== b).nullable(),
      default: null, structural: false, optional: true, array: true,
      doc: 'with data (required there): two class labels [a, b]; points of class a get y = +1, of class b y = −1, other classes are left out',
      allowed: 'two different class labels [a, b] (integers ≥ 0)',
    },
  };
}

/** What resolve() records for a data cell after its parameters: the dimension, split and size of the data, and its content hash. */
export interface SphereDataResolved {
  d: number;
  split: 'test' | 'train';
  data_points: number;
  data_sha256: string;
}

/**
 * resolve()'s part for the data parameters: null for a synthetic cell (then `classes` and `split`
 * must be absent), else the loaded points and the values to record. With data, `d` must be
 * absent or the data's dimension, and the synthetic-only parameters (`syntheticOnly`, of the
 * experiment's `params`) must keep their defaults.
 */
export function resolveSphereData(
  given: Record<string, Value>, explicit: ReadonlySet<string> | undefined, params: Record<string, ParamSpec>, syntheticOnly: string[],
): { source: TwoClassSphere; record: SphereDataResolved } | null {
  const isGiven = (name: string) => (explicit ? explicit.has(name) : given[name] !== undefined);
  const data = given.data ?? null;
  if (data === null) {
    for (const name of ['classes', 'split']) {
      if (given[name] !== undefined && given[name] !== null) {
        throw new UserError(`params.${name} applies only with params.data (real points); leave it out for synthetic points (got ${JSON.stringify(given[name])})`);
      }
    }
    return null;
  }
  if (given.classes === undefined || given.classes === null) {
    throw new UserError('params.classes is required with params.data: two different class labels [a, b] (class a → y = +1, class b → y = −1)');
  }
  for (const name of syntheticOnly) {
    const def = params[name].default;
    if (given[name] !== def) throw new UserError(`params.${name} does not apply with params.data (real points); leave it out or give its default ${JSON.stringify(def)} (got ${JSON.stringify(given[name])})`);
  }
  const split = (given.split ?? 'test') as 'test' | 'train';
  const source = twoClassSphere({ data: data as string, split, classes: JSON.parse(given.classes as string) as [number, number] });
  if (isGiven('d') && given.d !== source.d) {
    throw new UserError(`params.d must be absent or ${source.d} with this data (its points have ${source.d} coordinates) (got ${JSON.stringify(given.d)})`);
  }
  return { source, record: { d: source.d, split, data_points: source.count, data_sha256: source.dataSha256 } };
}

/**
 * The points of a resolved data cell (cached per process), or null for a synthetic cell. A data
 * file changed since the run was configured is a bug-level error, as in trained-prune.
 */
export function sphereDataOf(p: Record<string, Value>): TwoClassSphere | null {
  if (p.data === undefined || p.data === null) return null;
  const source = twoClassSphere({ data: p.data as string, split: p.split as 'test' | 'train', classes: JSON.parse(p.classes as string) as [number, number] });
  if (source.dataSha256 !== p.data_sha256) throw new Error(`${p.data} changed since this run was configured (sha256 differs)`);
  return source;
}
