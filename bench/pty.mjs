// Runs a command in a pseudo-terminal (util-linux script(1)) and times what reaches the screen:
// how a person sees the TUI start. Used by bench/run.mjs.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {clearTimeout, setTimeout} from 'node:timers';

// util-linux script(1) gives the child a pseudo-terminal; BSD script has other flags.
export const hasScript =
  process.platform === 'linux' &&
  spawnSync('script', ['-qfec', 'true', '/dev/null'], {stdio: 'ignore'}).status === 0;
export const stripAnsi = (s) =>
  // eslint-disable-next-line no-control-regex
  s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]/g, '');

/** Kills what runs in the pty (script's child, by its pid), then script itself. */
function killPty(child) {
  try {
    const kids = execFileSync('pgrep', ['-P', String(child.pid)], {encoding: 'utf8'});
    for (const pid of kids.split('\n').filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
  } catch {
    // pgrep found nothing: the child has gone.
  }
  child.kill('SIGKILL');
}

/**
 * One run in a pty: seconds until `text` appears on the screen; with `keystroke`, then also
 * the seconds from sending it until `after` appears. The child is asked to quit (Ctrl-C) and
 * killed if it has not gone within two seconds.
 */
export function ptyRun(command, {cwd, text, keystroke, after, env = {}}) {
  // `text` is a string to find on the screen; `after` a RegExp.
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const seconds = (from) => Number(process.hrtime.bigint() - from) / 1e9;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd,
      env: {...process.env, CI: 'false', TERM: 'xterm-256color', ...env},
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let screen = '';
    let sinceKey = '';
    let first;
    let keySent;
    let key;
    let finished = false;
    const finish = (error) => {
      finished = true;
      clearTimeout(timer);
      child.stdin.write('\x03');
      const hard = setTimeout(() => killPty(child), 2000);
      child.on('exit', () => {
        clearTimeout(hard);
        resolve({seconds: first, keySeconds: key, error});
      });
    };
    const timer = setTimeout(() => finish(`no "${text}" within 20 s`), 20_000);
    child.stdout.on('data', (data) => {
      const chunk = data.toString('utf8');
      if (first === undefined) {
        screen += chunk;
        if (!stripAnsi(screen).includes(text)) return;
        first = seconds(start);
        if (!keystroke) return finish();
        // Give the first frame a moment to settle, then press the key.
        setTimeout(() => {
          keySent = process.hrtime.bigint();
          child.stdin.write(keystroke);
        }, 300);
        return;
      }
      if (keySent === undefined || key !== undefined) return;
      sinceKey += chunk;
      if (after.test(stripAnsi(sinceKey))) {
        key = seconds(keySent);
        finish();
      }
    });
    child.on('exit', () => {
      if (finished) return;
      clearTimeout(timer);
      resolve({seconds: first, keySeconds: key, error: 'exited before the screen showed it'});
    });
  });
}
