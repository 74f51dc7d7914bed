import {afterEach, describe, expect, it} from 'vitest';
import {detectDisplay, setDisplay} from '../../source/components/display.js';
import {asciiTypography, glyphs, plainText} from '../../source/components/glyphs.js';

const UTF8 = {LANG: 'en_GB.UTF-8', TERM: 'xterm-256color'};

afterEach(() => setDisplay(undefined));

describe('what the terminal in front of us can show', () => {
  it('Unicode and colour on a UTF-8 xterm', () => {
    expect(detectDisplay(UTF8, {}, 'linux')).toEqual({
      ascii: false,
      color: true,
      screenReader: false,
    });
  });

  it('ASCII on the Linux text console, TERM=dumb, and a locale that is not UTF-8 (or none)', () => {
    expect(detectDisplay({...UTF8, TERM: 'linux'}, {}, 'linux').ascii).toBe(true);
    expect(detectDisplay({...UTF8, TERM: 'dumb'}, {}, 'linux').ascii).toBe(true);
    expect(detectDisplay({TERM: 'xterm', LANG: 'de_DE.ISO-8859-1'}, {}, 'linux').ascii).toBe(true);
    expect(detectDisplay({TERM: 'xterm', LANG: 'C'}, {}, 'linux').ascii).toBe(true);
    expect(detectDisplay({TERM: 'xterm'}, {}, 'linux').ascii).toBe(true);
    // LC_ALL wins over LANG; LC_CTYPE over LANG.
    expect(detectDisplay({TERM: 'xterm', LANG: 'C', LC_ALL: 'C.UTF-8'}, {}, 'linux').ascii).toBe(
      false,
    );
    expect(
      detectDisplay({TERM: 'xterm', LANG: 'en_US.UTF-8', LC_CTYPE: 'POSIX'}, {}, 'linux').ascii,
    ).toBe(true);
    expect(detectDisplay({TERM: 'xterm', LANG: 'en_US.utf8'}, {}, 'linux').ascii).toBe(false);
  });

  it('--ascii and --unicode override what the environment says', () => {
    expect(detectDisplay(UTF8, {ascii: true}, 'linux').ascii).toBe(true);
    expect(detectDisplay({...UTF8, TERM: 'linux'}, {ascii: false}, 'linux').ascii).toBe(false);
  });

  it('colour off for NO_COLOR (set, not empty), FORCE_COLOR=0, TERM=dumb, --no-color', () => {
    expect(detectDisplay({...UTF8, NO_COLOR: '1'}, {}, 'linux').color).toBe(false);
    expect(detectDisplay({...UTF8, NO_COLOR: ''}, {}, 'linux').color).toBe(true);
    expect(detectDisplay({...UTF8, FORCE_COLOR: '0'}, {}, 'linux').color).toBe(false);
    expect(detectDisplay({...UTF8, FORCE_COLOR: 'false'}, {}, 'linux').color).toBe(false);
    expect(detectDisplay({...UTF8, TERM: 'dumb'}, {}, 'linux').color).toBe(false);
    expect(detectDisplay(UTF8, {color: false}, 'linux').color).toBe(false);
    // The Linux console has colours: only its glyphs are few.
    expect(detectDisplay({...UTF8, TERM: 'linux'}, {}, 'linux').color).toBe(true);
  });

  it('a screen reader (--screen-reader or INK_SCREEN_READER=true): ASCII, no colour', () => {
    for (const d of [
      detectDisplay(UTF8, {screenReader: true}, 'linux'),
      detectDisplay({...UTF8, INK_SCREEN_READER: 'true'}, {}, 'linux'),
    ])
      expect(d).toEqual({ascii: true, color: false, screenReader: true});
  });
});

describe('the glyph table', () => {
  it('has an ASCII twin for every glyph, every one of them ASCII', () => {
    setDisplay({ascii: false, color: true, screenReader: false});
    const unicode = glyphs();
    setDisplay({ascii: true, color: true, screenReader: false});
    const ascii = glyphs();
    expect(Object.keys(ascii).sort()).toEqual(Object.keys(unicode).sort());
    for (const v of Object.values(ascii).flat()) expect(v).toMatch(/^[\x20-\x7e]+$/);
    // The marks a list or a holder is read by differ from one another.
    const marks = [ascii.waiting, ascii.presenting, ascii.accepted, ascii.absent, ascii.failed];
    expect(new Set(marks).size).toBe(marks.length);
  });

  it('spells our typography in ASCII only when the terminal wants it; letters stay', () => {
    const text = 'Quorum — 2 of 3… “done” · it’s › next → Müller';
    setDisplay({ascii: false, color: true, screenReader: false});
    expect(plainText(text)).toBe(text);
    setDisplay({ascii: true, color: true, screenReader: false});
    expect(plainText(text)).toBe('Quorum - 2 of 3... "done" - it\'s > next -> Müller');
    expect(asciiTypography('✓ ✗ ■□ █')).toBe('OK x #- #');
  });
});
