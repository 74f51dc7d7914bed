// Prints the bench's results: the table (medians, ratios between medians of the same run,
// goals) and the figures that are not a row of their own. Used by bench/run.mjs.

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Prints the table and returns the names of rows whose goal was missed. */
export function report({rows, results, markdown, load}) {
  const summary = rows.map((row) => {
    const runs = results.get(row.name);
    const secs = runs.map((r) => r.seconds);
    const rss = runs.map((r) => r.rssKiB).filter((v) => v !== undefined);
    const keys = runs.map((r) => r.keySeconds).filter((v) => v !== undefined);
    const progress = runs.map((r) => r.progress).filter((v) => v !== undefined);
    return {
      row,
      name: row.name,
      runs: runs.length,
      median: median(secs),
      min: Math.min(...secs),
      max: Math.max(...secs),
      rssMiB: rss.length ? Math.max(...rss) / 1024 : undefined,
      keyMedian: keys.length ? median(keys) : undefined,
      progress: progress.length ? Math.min(...progress) : undefined,
    };
  });
  const byName = new Map(summary.map((s) => [s.name, s]));
  /** The reference row: the named one, or the fastest of several (the python references). */
  const referenceOf = (s) => {
    const names = [s.row.reference ?? []].flat();
    const refs = names.map((n) => byName.get(n)).filter(Boolean);
    return refs.sort((a, b) => a.median - b.median)[0];
  };
  const ratioOf = (s) => {
    const ref = referenceOf(s);
    return ref ? s.median / ref.median : undefined;
  };

  /** Met, missed, or nothing to check. */
  function verdict(s) {
    const g = s.row.goal;
    if (!g) return undefined;
    const checks = [];
    if (g.ratio !== undefined) checks.push(ratioOf(s) <= g.ratio);
    if (g.minRatio !== undefined) checks.push(ratioOf(s) >= g.minRatio);
    if (g.seconds !== undefined) checks.push(s.median <= g.seconds);
    if (g.rssMiB !== undefined && s.rssMiB !== undefined) checks.push(s.rssMiB <= g.rssMiB);
    if (s.row.progress) checks.push((s.progress ?? 0) >= 2);
    return checks.every(Boolean);
  }

  const table = [
    ['row', 'runs', 'median s', 'min s', 'max s', 'peak RSS MiB', 'vs reference', 'goal', 'met'],
    ...summary.map((s) => {
      const ratio = ratioOf(s);
      const v = verdict(s);
      return [
        s.name,
        String(s.runs),
        s.median.toFixed(3),
        s.min.toFixed(3),
        s.max.toFixed(3),
        s.rssMiB === undefined ? '–' : s.rssMiB.toFixed(1),
        ratio === undefined ? '' : `${ratio.toFixed(2)}× ${referenceOf(s).name}`,
        s.row.goal?.text ?? '',
        v === undefined ? '' : v ? 'yes' : 'NO',
      ];
    }),
  ];
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => [...r[c]].length)));
  const left = new Set([0, 6, 7, 8]);
  const pad = (cell, c) =>
    left.has(c)
      ? cell + ' '.repeat(widths[c] - [...cell].length)
      : ' '.repeat(widths[c] - [...cell].length) + cell;
  const fmt = (r) => r.map(pad).join('  ').trimEnd();
  console.log();
  console.log(fmt(table[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of table.slice(1)) console.log(fmt(r));

  // Figures that are not a row of their own.
  const get = (name) => byName.get(name);
  console.log();
  const bare = get('node -e 0').median;
  const tui = get('TUI first frame (pty)');
  if (tui) {
    console.log(
      `TUI first frame: ${tui.median.toFixed(3)} s = ${(tui.median / bare).toFixed(2)}× node -e 0 ` +
        `(outside a pty), ${ratioOf(tui).toFixed(2)}× bare node in the same pty`,
    );
    if (tui.keyMedian !== undefined) {
      const ms = tui.keyMedian * 1000;
      console.log(
        `keystroke → frame: ${ms.toFixed(0)} ms median (Down arrow until the choice has moved; ` +
          `one frame is ${(1000 / 30).toFixed(0)} ms at Ink's 30 fps) — ${ms <= 1000 / 30 ? 'within one frame' : 'NOT within one frame'}`,
      );
    }
  }
  // A second reference for a row (`also`): the executable against the bench's own Node too.
  for (const s of summary.filter((x) => x.row.also && get(x.row.also)))
    console.log(
      `${s.name}: ${(s.median / get(s.row.also).median).toFixed(2)}× ${s.row.also} (${process.version})`,
    );
  const i5k = get('init --keys 5000');
  if (i5k)
    console.log(
      `init --keys 5000: ${i5k.median.toFixed(1)} s median, ${i5k.progress ?? 0} progress lines on stderr`,
    );
  const v5k = get('verify (5000 keys)');
  if (v5k?.rssMiB !== undefined)
    console.log(`verify (5000 keys) peak RSS: ${v5k.rssMiB.toFixed(1)} MiB`);
  console.log(
    `load average ${load()} at the end (ratios hold up better than seconds on a busy machine)`,
  );
  const missed = summary.filter((s) => verdict(s) === false).map((s) => s.name);
  console.log(missed.length ? `goals missed: ${missed.join('; ')}` : 'all goals met');

  if (markdown) {
    console.log();
    console.log('| row | median s | peak RSS MiB | vs reference | goal | met |');
    console.log('| --- | ---: | ---: | --- | --- | --- |');
    for (const r of table.slice(1))
      console.log(`| ${[r[0], r[2], r[5], r[6], r[7], r[8]].join(' | ')} |`);
  }
  return missed;
}
