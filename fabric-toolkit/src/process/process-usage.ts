import { readdirSync, readFileSync } from 'node:fs';

// Resource usage of a process tree from Linux's /proc, for benchmarks: what the network,
// its chaincode processes and the gateway hold and spend, apart from the load generator.

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  readonly parent: number;
  /** utime + stime, in clock ticks. */
  readonly cpuTicks: number;
}

function readStat(pid: string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state(3) ppid(4) … utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { parent: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // the process ended while we looked
  }
}

/** The given processes and all their descendants, with their stats; undefined without /proc. */
function processTree(rootPids: readonly number[]): Map<number, ProcStat> | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const all = new Map<number, ProcStat>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat !== undefined) all.set(Number(entry), stat);
  }
  const tree = new Map<number, ProcStat>();
  for (const pid of rootPids) {
    const stat = all.get(pid);
    if (stat !== undefined) tree.set(pid, stat);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, stat] of all) {
      if (!tree.has(pid) && tree.has(stat.parent)) {
        tree.set(pid, stat);
        grew = true;
      }
    }
  }
  return tree;
}

function residentKB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Resident memory (MB) of the given processes and all their descendants, summed (chaincode
 * processes included). Undefined where /proc is not available (not Linux).
 */
export function residentMemoryMB(rootPids: readonly number[]): number | undefined {
  const tree = processTree(rootPids);
  if (tree === undefined) return undefined;
  let kb = 0;
  for (const pid of tree.keys()) kb += residentKB(pid);
  return kb / 1024;
}

/**
 * CPU time (user + system, seconds) the given processes and their living descendants have
 * used so far. Undefined where /proc is not available (not Linux).
 */
export function cpuSeconds(rootPids: readonly number[]): number | undefined {
  const tree = processTree(rootPids);
  if (tree === undefined) return undefined;
  let ticks = 0;
  for (const stat of tree.values()) ticks += stat.cpuTicks;
  return ticks / TICKS_PER_SECOND;
}
