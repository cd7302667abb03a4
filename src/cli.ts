#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError, SeedError } from './errors.js';
import { runTrials } from './harness/coordinator.js';
import { dryRun } from './harness/dry-run.js';
import { mergeRuns } from './harness/merge.js';
import { listExperiments } from './commands/list.js';
import { replay } from './commands/replay.js';
import { plan } from './commands/plan.js';
import { checkOutDir } from './commands/preflight.js';
import { trialJsonSchema } from './trial/json-schema.js';
import { parseThreads, parsePositiveInt, parseShard, parseDuration, parsePositiveNumber, parseProbability } from './cli-options.js';

/** `lth`: parse, call, print. All the work happens in src/harness and src/commands. */

const DEFAULT_MASTER_SEED = '1';

/** The report pulls in vega, vega-lite and resvg (≈ 1 s to load): only commands that write one load it. */
async function report(dir: string, format: 'md' | 'json'): Promise<string> {
  return (await import('./commands/report.js')).report(dir, format);
}

function resumeCommand(): string {
  const args = hideBin(process.argv).filter((a) => a !== '--fresh');
  return ['lth', ...args].map((a) => (/^[\w./:=@%+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

function replayCommand(error: SeedError): string {
  return `lth replay ${error.runDir} --trial ${error.trial} --cell ${error.cell} --seed ${error.seed}`;
}

async function main(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('lth')
    .usage('$0 <command> [options]\n\nChecks the strong lottery ticket theorems empirically (see README.md).')
    .command(
      'run <trials..>',
      'run trial files into a run directory (resumes an existing one with the same configuration)',
      (y) =>
        y
          .positional('trials', { type: 'string', array: true, describe: 'trial files (trials/*.json)' })
          .option('seeds', { type: 'string', describe: 'seeds per cell (overrides the trial files; larger extends a run)' })
          .option('threads', { type: 'string', describe: 'worker threads (default: all cores)' })
          .option('out', { type: 'string', describe: 'run directory (default output/<trial name>)' })
          .option('master-seed', { type: 'string', default: DEFAULT_MASTER_SEED, describe: 'master seed: all randomness derives from it' })
          .option('shard', { type: 'string', describe: 'i/N: run only seeds with index ≡ i (mod N), 0-based' })
          .option('max-time', { type: 'string', describe: 'stop scheduling after this long (e.g. 8h); resume later' })
          .option('fresh', { type: 'boolean', default: false, describe: 'delete an existing run directory first' })
          .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' })
          .option('log-every', { type: 'string', default: '30', describe: 'seconds between progress lines when not on a TTY' })
          .option('until-decided', { type: 'boolean', default: false, describe: 'stop each cell once an anytime-valid confidence sequence decides it (checked at 64·2^j seeds; --seeds is the cap)' })
          .option('family-wise', { choices: ['holm', 'none'] as const, default: 'none' as const, describe: 'adjust the verdicts of all cells together (Holm) or keep per-cell verdicts' })
          .option('rows', { choices: ['csv', 'parquet', 'none'] as const, describe: 'per-seed rows: csv = trials.csv (default), parquet = trials.parquet (same columns, typed, ≈ 1/3 of the bytes), none = aggregates only (summary, quantiles, report; disk flat in seeds). Overrides the trial files; a resume keeps the recorded mode' })
          .option('dry-run', { type: 'boolean', default: false, describe: 'print cells, seeds, structural keys and an estimated time; write nothing' })
          .option('batch-size', { type: 'string', hidden: true }),
      async (argv) => {
        // what a dry run and a run share
        const plan = {
          trialFiles: (argv.trials ?? []) as string[],
          seeds: parsePositiveInt('seeds', argv.seeds),
          threads: parseThreads(argv.threads),
          out: argv.out,
          masterSeed: String(argv['master-seed']),
          shard: parseShard(argv.shard),
          untilDecided: argv['until-decided'],
          rows: argv.rows,
        };
        if (argv['dry-run']) {
          process.stdout.write(dryRun(plan));
          return;
        }
        checkOutDir(plan.out ?? 'output'); // before anything is created
        const outcome = await runTrials({
          ...plan,
          fresh: argv.fresh,
          quiet: argv.quiet,
          logEvery: parsePositiveNumber('log-every', argv['log-every']) ?? 30,
          batchSize: parsePositiveInt('batch-size', argv['batch-size']),
          maxTimeMs: parseDuration('max-time', argv['max-time']),
          resumeCommand: resumeCommand(),
          familyWise: argv['family-wise'],
        });
        if (outcome.status === 'complete') {
          const written = await report(outcome.dir, 'md');
          if (!argv.quiet) process.stderr.write(`[lth] report: ${written}`);
        } else if (outcome.stopReason === 'signal') {
          process.exitCode = 130; // interrupted: partial outputs written, the same command resumes
        }
      },
    )
    .command('schema', 'print a JSON Schema for trial files (editors complete and check parameters; trials/schema.json)', {}, () => {
      process.stdout.write(JSON.stringify(trialJsonSchema(), null, 2) + '\n');
    })
    .command('list', 'explain every experiment, its parameters (defaults, structural or not) and its columns', {}, () => {
      process.stdout.write(listExperiments());
    })
    .command(
      'plan',
      'seeds needed for an `above` verdict',
      (y) =>
        y
          .option('delta', { type: 'string', demandOption: true, describe: 'the claimed failure probability δ' })
          .option('confidence', { type: 'string', default: '0.95', describe: 'confidence level of the interval' }),
      (argv) => {
        process.stdout.write(plan(parseProbability('delta', argv.delta)!, parseProbability('confidence', argv.confidence)!));
      },
    )
    .command(
      'merge <run-dirs..>',
      'combine the run directories of --shard i/N runs into one, equal to a one-machine run',
      (y) =>
        y
          .positional('run-dirs', { type: 'string', array: true, demandOption: true })
          .option('out', { type: 'string', demandOption: true, describe: 'the merged run directory (new or empty)' }),
      async (argv) => {
        checkOutDir(argv.out);
        mergeRuns((argv['run-dirs'] ?? []) as string[], argv.out);
        process.stdout.write(await report(argv.out, 'md'));
      },
    )
    .command(
      'report <run-dir>',
      'write report.md and plots/ for a run directory (from run.json and the CSVs alone)',
      (y) =>
        y
          .positional('run-dir', { type: 'string', demandOption: true })
          .option('format', { choices: ['md', 'json'] as const, default: 'md' as const, describe: 'md: report.md + plots; json: the numbers on stdout' }),
      async (argv) => {
        process.stdout.write(await report(argv['run-dir'] as string, argv.format));
      },
    )
    .command(
      'replay <run-dir>',
      're-run one seed in-process and print everything about it',
      (y) =>
        y
          .positional('run-dir', { type: 'string', demandOption: true })
          .option('trial', { type: 'string', demandOption: true })
          .option('cell', { type: 'string', demandOption: true })
          .option('seed', { type: 'string', demandOption: true })
          .option('json', { type: 'boolean', default: false }),
      (argv) => {
        process.stdout.write(replay(argv['run-dir'] as string, argv.trial, Number(argv.cell), Number(argv.seed), argv.json));
      },
    )
    .demandCommand(1, 'give a command: run, list, plan or replay (lth --help)')
    .strict()
    .fail((message, error) => {
      if (error) throw error;
      throw new UserError(message.split('\n')[0]);
    })
    .help()
    .parseAsync();
}

main().catch((error: unknown) => {
  if (error instanceof UserError) {
    process.stderr.write(`lth: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof SeedError) {
    process.stderr.write(`lth: ${error.message}; reproduce with: ${replayCommand(error)}\n`);
    if (process.env.LTH_DEBUG === '1' && error.detail) process.stderr.write(error.detail + '\n');
    process.exit(1);
  }
  const e = error as Error;
  process.stderr.write(`lth: internal error: ${e?.message ?? String(error)} (set LTH_DEBUG=1 for the stack trace)\n`);
  if (process.env.LTH_DEBUG === '1') process.stderr.write(`${e?.stack ?? ''}\n`);
  process.exit(1);
});
