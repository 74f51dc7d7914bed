/**
 * The app's own processes, found by what they were started with: a drill running in a tmux
 * pane outlives the kill of its pane by the moment it takes to write its "aborted" report and
 * history — into the test's folders, which must not be removed (or recreated) under it.
 */
import {readdirSync, readFileSync} from 'node:fs';
import {sleepSync} from './time.js';

/** Pids of processes whose environment holds `name=value` exactly (Linux /proc; none elsewhere). */
export function processesWithEnv(name: string, value: string): number[] {
  const wanted = `${name}=${value}`;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  return pids
    .map(Number)
    .filter((pid) => pid !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(wanted);
      } catch {
        return false; // gone, or not ours to read
      }
    });
}

/**
 * Waits until no process has `name=value` in its environment: those still running get
 * `graceMs` to finish what they are writing, then SIGKILL. A cleanup step, not a check.
 */
export function endProcessesWithEnv(name: string, value: string, graceMs = 10_000): void {
  const until = Date.now() + graceMs;
  while (processesWithEnv(name, value).length > 0 && Date.now() < until) sleepSync(50);
  for (const pid of processesWithEnv(name, value)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ended meanwhile
    }
  }
  while (processesWithEnv(name, value).length > 0 && Date.now() < until + 5_000) sleepSync(20);
}

/**
 * Pids of the app's own processes (`node … sd-drill.js …`) whose command line holds every one
 * of `args` (a unique temporary path picks out one test's process) and, when given, whose
 * parent is `parent` (Linux /proc; none elsewhere).
 */
export function sdDrillPids(args: readonly string[], parent?: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  return entries.map(Number).filter((pid) => {
    try {
      if (parent !== undefined) {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // "pid (comm) state ppid …": the command name may hold spaces, so split after it.
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parent) return false;
      }
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv.some((a) => a.endsWith('sd-drill.js')) && args.every((a) => argv.includes(a));
    } catch {
      return false; // gone meanwhile
    }
  });
}
