// Preloaded with `node --import` when /usr/bin/time is missing: reports the process's own
// peak RSS (KiB, like `time -f %M`) on stderr as it exits, for bench/run.mjs to pick up.
import {writeSync} from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nSDBENCH_RSS ${process.resourceUsage().maxRSS}\n`);
});
