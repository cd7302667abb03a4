import { z } from 'zod';
import { experiments } from '../experiments/index.js';
import { trialFileSchema, trialFieldAllowed } from './schema.js';
import { MAX_SWEEP_VALUES } from './sweep.js';

/**
 * A JSON Schema (draft 2020-12) for trial files, generated from the zod schemas (the single
 * source of parameter types): the top-level fields, and per experiment its parameters, each
 * a value, a sweep object ({"log": …} / {"range": …}) or a list of those. Editors use it for
 * completion and checking through the files' "$schema" key; `lth schema` prints it and
 * trials/schema.json is a committed copy (npm run schema).
 */
export function trialJsonSchema(): Record<string, unknown> {
  const triple = (third: string) => ({ type: 'array', items: { type: 'number' }, minItems: 3, maxItems: 3, description: `[from, to, ${third}]` });
  const sweepObject = {
    oneOf: [
      { type: 'object', properties: { log: triple('count') }, required: ['log'], additionalProperties: false,
        description: `from·(to/from)^(j/(count−1)), j = 0…count−1 (count ≤ ${MAX_SWEEP_VALUES})` },
      { type: 'object', properties: { range: triple('step') }, required: ['range'], additionalProperties: false,
        description: `from + j·step while ≤ to (at most ${MAX_SWEEP_VALUES} values)` },
    ],
  };
  const value = (schema: z.ZodType) => {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return rest;
  };
  const top = value(trialFileSchema) as { properties: Record<string, Record<string, unknown>>; [key: string]: unknown };
  for (const [name, property] of Object.entries(top.properties)) property.description = trialFieldAllowed[name];
  top.properties.experiment = { ...top.properties.experiment, enum: Object.keys(experiments) };
  const branches = Object.values(experiments).map((experiment) => ({
    if: { properties: { experiment: { const: experiment.name } }, required: ['experiment'] },
    then: {
      properties: {
        params: {
          type: 'object',
          additionalProperties: false,
          properties: Object.fromEntries(Object.entries(experiment.params).map(([name, spec]) => {
            const one = value(spec.schema);
            return [name, {
              description: `${spec.doc} (${spec.structural ? 'structural' : 'evaluation'}; ${spec.allowed}${spec.default === undefined ? '' : `; default ${JSON.stringify(spec.default)}`})`,
              anyOf: [one, sweepObject, { type: 'array', minItems: 1, items: { anyOf: [one, sweepObject] }, description: 'a sweep axis' }],
            }];
          })),
        },
      },
    },
  }));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'lottery-harness trial file',
    description: 'lth run <trial.json>: a named experiment with parameters; a parameter given as an array is a sweep axis (lth list).',
    ...top,
    allOf: branches,
  };
}
