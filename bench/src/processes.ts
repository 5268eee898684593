/** Child processes of the bench and what they cost: CPU time and resident memory of a process tree. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  log: string[];
}

export function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Proc {
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const keep = (b: Buffer) => {
    log.push(b.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, child, pid: child.pid!, log };
}

export async function waitFor(name: string, check: () => Promise<boolean>, proc?: Proc, timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (proc && proc.child.exitCode !== null) throw new Error(`${name} exited (${proc.child.exitCode}):\n${proc.log.join('').slice(-3000)}`);
    try {
      if (await check()) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} did not come up within ${timeoutMs / 1000} s:\n${proc?.log.join('').slice(-3000) ?? ''}`);
}

export async function stopProcess(proc: Proc): Promise<void> {
  if (proc.child.exitCode !== null) return;
  proc.child.kill('SIGTERM');
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      proc.child.kill('SIGKILL');
      resolve();
    }, 3000);
    proc.child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** The pid and every descendant (cluster workers, forks). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(entry));
      parents.set(ppid, list);
    } catch {
      /* gone */
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i]!) ?? []));
  return out;
}

/**
 * CPU milliseconds (user + system) used so far by these processes, and by their children that have
 * exited and been reaped (cutime, cstime): PostgreSQL's backends come and go during a run.
 */
export function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]); // utime, stime, cutime, cstime (fields 14–17 of stat)
    } catch {
      /* gone */
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Resident memory of the tree now, in MiB. */
export function rssMiB(pids: readonly number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      /* gone */
    }
  }
  return kb / 1024;
}

/** Samples a tree's RSS every `everyMs` until stopped; returns the peak. */
export function sampleRss(pids: readonly number[], everyMs = 200): { stop(): number } {
  let peak = rssMiB(pids);
  const t = setInterval(() => {
    peak = Math.max(peak, rssMiB(pids));
  }, everyMs);
  return {
    stop() {
      clearInterval(t);
      return Math.max(peak, rssMiB(pids));
    },
  };
}
