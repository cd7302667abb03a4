import { runSeeds } from './run-seeds.js';
import type { Task, TaskResult } from './task.js';

/** The piscina worker entry: one task = one batch of seeds of one cell. */
export default function worker(task: Task): TaskResult {
  return runSeeds(task);
}
