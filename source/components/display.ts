/**
 * How the terminal in front of the operator shows text: Unicode or plain ASCII glyphs, colour or
 * none, a full-screen layout or linear text for a screen reader. Pure: no Ink, no React. Decided
 * once, before the first frame (commands/drill.ts), from the environment and the command line;
 * every component reads the result through `display()`.
 *
 * Why each rule:
 * - The Linux text console (TERM=linux) has a 256- or 512-glyph font: ❯ ✓ ■ █ ▏ and the like
 *   show as blanks or boxes. TERM=dumb (a serial line, an editor's shell) may not even move the
 *   cursor. A locale that is not UTF-8 (or none: the C locale of a minimal rescue system) means
 *   the terminal was not told to expect UTF-8 at all. All three get the ASCII set.
 * - Colour: NO_COLOR (no-color.org: set and not empty), FORCE_COLOR=0, TERM=dumb and --no-color
 *   turn it off. Nothing is said by colour alone, so nothing is lost.
 * - A screen reader (--screen-reader, or Ink's own INK_SCREEN_READER=true) gets linear text:
 *   plain glyphs, no colour, no animation (see screen-reader.ts).
 */

export interface Display {
  /** Plain ASCII glyphs ([x], >, #) and punctuation (-, ..., ') instead of Unicode. */
  ascii: boolean;
  /** Colour and other text attributes. */
  color: boolean;
  /** Linear text for a screen reader: every step said once, in order. */
  screenReader: boolean;
}

/** What the command line asked for; absent means "decide from the environment". */
export interface DisplayFlags {
  /** --ascii (true) or --unicode (false). */
  ascii?: boolean;
  /** --no-color (false). */
  color?: boolean;
  /** --screen-reader. */
  screenReader?: boolean;
}

/** Terminals whose fonts or capabilities cannot be trusted with Unicode symbols. */
const PLAIN_TERMINALS = new Set(['linux', 'dumb', 'vt100', 'vt102', 'vt220', 'ansi', 'cons25']);

/** Whether the locale's character set is UTF-8 (LC_ALL, then LC_CTYPE, then LANG). */
export function utf8Locale(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== '');
  // Windows terminals speak UTF-16 to Node, which writes UTF-8 to them: no locale to consult.
  if (locale === undefined) return platform === 'win32';
  return /utf-?8/i.test(locale);
}

export function detectDisplay(
  env: NodeJS.ProcessEnv,
  flags: DisplayFlags = {},
  platform: NodeJS.Platform = process.platform,
): Display {
  const screenReader = flags.screenReader === true || env.INK_SCREEN_READER === 'true';
  const term = (env.TERM ?? '').toLowerCase();
  const ascii =
    flags.ascii ?? (screenReader || PLAIN_TERMINALS.has(term) || !utf8Locale(env, platform));
  const forceColor = (env.FORCE_COLOR ?? '').toLowerCase();
  const color =
    flags.color !== false &&
    !screenReader &&
    !(env.NO_COLOR !== undefined && env.NO_COLOR !== '') &&
    forceColor !== '0' &&
    forceColor !== 'false' &&
    term !== 'dumb';
  return {ascii, color, screenReader};
}

/**
 * The settings in force. Until start-up sets them (and in tests that do not), Unicode glyphs,
 * colour as the environment allows, no screen reader.
 */
let current: Display | undefined;

export function display(): Display {
  current ??= {
    ascii: false,
    color: !(process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== ''),
    screenReader: false,
  };
  return current;
}

/** Start-up (and tests): the settings every component reads from now on. */
export function setDisplay(d: Display | undefined): void {
  current = d;
}
