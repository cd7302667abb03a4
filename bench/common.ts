import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Helpers shared by the benchmarks: aligned tables, load average, and the disturbance meter. */

export function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

export function load(): string {
  return loadavg().map((x) => x.toFixed(2)).join(' ');
}

/**
 * Disturbance meter: CPU time the whole machine spent busy (/proc/stat) minus the CPU time of
 * this process (all its threads, pool workers included) and of a measured child (numpy: assumed
 * to use `childCores` cores while it runs). Linux only; elsewhere `other_cpu_s` is null.
 */
export interface CpuWindow {
  wall_s: number;
  own_cpu_s: number;
  other_cpu_s: number | null;
}

/** CPU seconds the whole machine has spent busy since boot (/proc/stat); null off Linux. */
export function machineBusyS(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
    const busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + (fields[7] ?? 0);
    return busy / 100; // USER_HZ
  } catch {
    return null;
  }
}

export function cpuWindow(childCores = 0): () => CpuWindow {
  const wall0 = performance.now();
  const own0 = process.cpuUsage();
  const busy0 = machineBusyS();
  return () => {
    const wall = (performance.now() - wall0) / 1000;
    const own = process.cpuUsage(own0);
    const ownS = (own.user + own.system) / 1e6;
    const busy1 = machineBusyS();
    const other = busy0 === null || busy1 === null ? null : Math.max(0, busy1 - busy0 - ownS - childCores * wall);
    return { wall_s: wall, own_cpu_s: ownS, other_cpu_s: other };
  };
}
