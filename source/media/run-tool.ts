import {execFile} from 'node:child_process';

/** How a helper program (lsblk, diskutil) ended; never an exception. */
export type ToolOutcome =
  | {ok: true; stdout: string}
  | {ok: false; reason: 'missing' | 'timeout' | 'failed'; detail: string};

export const TOOL_TIMEOUT_MS = 2_000;

/**
 * Runs a system tool without a shell, with a timeout and a bounded output. A missing tool, a
 * hang (a stick that stopped answering can stall lsblk) or a non-zero exit is an outcome the
 * caller degrades on — discovery must keep working with less information, never crash.
 */
export function runTool(
  command: string,
  args: readonly string[],
  timeoutMs = TOOL_TIMEOUT_MS,
): Promise<ToolOutcome> {
  return new Promise((resolve) => {
    try {
      execFile(
        command,
        [...args],
        {
          timeout: timeoutMs,
          killSignal: 'SIGKILL',
          maxBuffer: 8 * 1024 * 1024,
          encoding: 'utf8',
          windowsHide: true,
          // Fixed locale: the tools' words and number formats must not follow the user's.
          env: {...process.env, LC_ALL: 'C', LANG: 'C'},
        },
        (error, stdout, stderr) => {
          if (!error) {
            resolve({ok: true, stdout});
            return;
          }
          const err = error as NodeJS.ErrnoException & {killed?: boolean; signal?: string | null};
          if (err.code === 'ENOENT') {
            resolve({ok: false, reason: 'missing', detail: `${command} is not installed`});
          } else if (err.killed || err.signal === 'SIGKILL') {
            resolve({
              ok: false,
              reason: 'timeout',
              detail: `${command} did not answer within ${timeoutMs} ms`,
            });
          } else {
            const first = String(stderr).trim().split('\n')[0] ?? '';
            resolve({ok: false, reason: 'failed', detail: `${command}: ${first || err.message}`});
          }
        },
      );
    } catch (error) {
      // execFile throws synchronously only for bad arguments; treat it like a failed run.
      resolve({ok: false, reason: 'failed', detail: `${command}: ${String(error)}`});
    }
  });
}
