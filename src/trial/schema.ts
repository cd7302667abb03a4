import { z } from 'zod';

/**
 * The top level of a trial file (DESIGN.md "Command line"). Parameters are checked
 * separately against the experiment's own schema (src/trial/load.ts).
 */
export const trialFileSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/),
    experiment: z.string(),
    description: z.string().optional(),
    seeds: z.number().int().min(1).max(1e12),
    delta: z.number().gt(0).lt(1).optional(),
    confidence: z.number().gt(0).lt(1).optional(),
    stop: z.enum(['decided', 'none']).optional(),
    rows: z.enum(['csv', 'parquet', 'none']).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/**
 * Names of the run directory's own files and folders: a trial's folder <out>/<name> must
 * not collide with them (issue 15 item 9).
 */
export { RESERVED_NAMES } from '../run-dir/files.js';

export type TrialFile = z.infer<typeof trialFileSchema>;

/** What each top-level field allows, for one-line error messages. */
export const trialFieldAllowed: Record<string, string> = {
  $schema: 'the path or URL of the trial files\' JSON Schema (for editors; e.g. "../schema.json")',
  name: 'a name of letters, digits, ".", "_" or "-" (it names the output folder)',
  experiment: 'the name of an experiment (see lth list)',
  description: 'a string',
  seeds: 'an integer in [1, 10^12] (seeds per cell)',
  delta: 'a number in (0, 1) (the default δ of every cell)',
  confidence: 'a number in (0, 1) (default 0.95)',
  stop: '"decided" or "none"',
  rows: '"csv" (trials.csv, one row per seed), "parquet" (trials.parquet, the same rows) or "none" (aggregates only)',
  params: 'an object of parameters (see lth list)',
};
