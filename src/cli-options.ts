import { availableParallelism } from 'node:os';
import { errors } from './errors.js';
import type { Shard } from './harness/rundir.js';

/** Flag parsing beyond yargs' types: every bad value is one UserError naming the flag and what is allowed. */

export function parseThreads(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const max = 4 * availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw errors.flag('threads', `an integer in [1, ${max}] (4× the cores)`, value);
  return n;
}

export function parsePositiveInt(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw errors.flag(flag, 'an integer ≥ 1', value);
  return n;
}

export function parseShard(value: unknown): Shard | null {
  if (value === undefined) return null;
  const match = /^(\d+)\/(\d+)$/.exec(String(value));
  const index = match ? Number(match[1]) : NaN, count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index >= count) throw errors.flag('shard', 'i/N with 0 ≤ i < N (0-based, e.g. 0/3)', value);
  return count === 1 ? null : { index, count };
}

/** "8h", "30m", "90s" or a number of seconds → milliseconds. */
export function parseDuration(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(String(value).trim());
  if (!match) throw errors.flag(flag, 'a duration such as 90s, 30m or 8h', value);
  const unit = match[2] === 'h' ? 3600 : match[2] === 'm' ? 60 : 1;
  const ms = Number(match[1]) * unit * 1000;
  if (!(ms > 0)) throw errors.flag(flag, 'a positive duration such as 90s, 30m or 8h', value);
  return ms;
}

export function parsePositiveNumber(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0)) throw errors.flag(flag, 'a number > 0', value);
  return n;
}

export function parseProbability(flag: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw errors.flag(flag, 'a number in (0, 1)', value);
  return n;
}
