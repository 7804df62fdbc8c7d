import { readdirSync, readFileSync } from 'node:fs';

// Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every platform we run on.
const TICKS_PER_SECOND = 100;

function processStat(pid: number | string): { comm: string; seconds: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    // After "pid (comm) ", field 0 is the state; utime and stime are fields 11 and 12.
    return {
      comm: stat.slice(stat.indexOf('(') + 1, close),
      seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
    };
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far: one process, all PostgreSQL processes, this process, the whole machine. */
export type CpuSnapshot = {
  at: number;
  server: number | undefined;
  postgres: number | undefined;
  loadGenerator: number;
  machineBusy: number | undefined;
};

function postgresSeconds(): number | undefined {
  let total = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = processStat(entry);
    if (stat?.comm === 'postgres') {
      total += stat.seconds;
      found = true;
    }
  }
  return found ? total : undefined;
}

function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
  } catch {
    return undefined;
  }
}

export function cpuSnapshot(serverPid: number, withPostgres: boolean): CpuSnapshot {
  const own = process.cpuUsage();
  return {
    at: performance.now(),
    server: processStat(serverPid)?.seconds,
    postgres: withPostgres ? postgresSeconds() : undefined,
    loadGenerator: (own.user + own.system) / 1e6,
    machineBusy: machineBusySeconds(),
  };
}

/** Average cores each party kept busy between two snapshots. */
export function coresUsed(before: CpuSnapshot, after: CpuSnapshot) {
  const seconds = (after.at - before.at) / 1000;
  const cores = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined ? null : Math.round(((b - a) / seconds) * 100) / 100;
  const used = {
    server: cores(before.server, after.server),
    postgres: cores(before.postgres, after.postgres),
    load_generator: cores(before.loadGenerator, after.loadGenerator),
    machine_busy: cores(before.machineBusy, after.machineBusy),
  };
  // Whatever else ran meanwhile (on a shared machine, the noise in every other figure).
  const ours = (used.server ?? 0) + (used.postgres ?? 0) + (used.load_generator ?? 0);
  const other =
    used.machine_busy === null ? null : Math.max(0, Math.round((used.machine_busy - ours) * 100) / 100);
  return { ...used, other_processes: other };
}
