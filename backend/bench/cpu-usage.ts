import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU time from the kernel's own accounting (/proc/<pid>/stat), Linux only.
 * A process's figure is its own user + system time (all its threads) plus
 * that of its children it has already reaped (ffmpeg, ffprobe): a child's
 * time reaches the parent's cutime/cstime when the parent waits for it.
 */

let ticksPerSecond: number | undefined;

/** The unit of /proc/<pid>/stat times (USER_HZ, 100 on every common Linux). */
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

interface ProcessCpu {
  /** utime + stime: the process itself. */
  ownSeconds: number;
  /** cutime + cstime: its reaped children. */
  childrenSeconds: number;
}

function readProcessCpu(pid: number | 'self'): ProcessCpu {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (14), stime (15), cutime (16), cstime (17) sit at 11..14.
  const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
  const hz = clockTicksPerSecond();
  return { ownSeconds: (utime + stime) / hz, childrenSeconds: (cutime + cstime) / hz };
}

/** CPU seconds so far of these processes and their reaped children, added up. */
export function cpuSecondsOf(pids: number[]): number {
  return pids.reduce((sum, pid) => {
    const cpu = readProcessCpu(pid);
    return sum + cpu.ownSeconds + cpu.childrenSeconds;
  }, 0);
}

/**
 * Runs `fn` and returns the CPU seconds of the children this process reaped
 * meanwhile (e.g. one ffmpeg run). Nothing else of ours may exit during it.
 */
export async function childCpuSecondsDuring(fn: () => Promise<unknown>): Promise<number> {
  const before = readProcessCpu('self').childrenSeconds;
  await fn();
  return readProcessCpu('self').childrenSeconds - before;
}
