import {describe, expect, it} from 'vitest';
import {waitForFrame} from './ink.js';

describe('waitForFrame', () => {
  it('returns the first frame that matches, without colour codes', async () => {
    let n = 0;
    const frame = () => (++n > 3 ? '\u001B[32mready\u001B[39m' : 'loading');
    expect(await waitForFrame(frame, (f) => f === 'ready')).toBe('ready');
  });

  it('fails loudly, showing the last frame, when the frame never matches', async () => {
    await expect(
      waitForFrame(
        () => 'Your name: ▌',
        (f) => /Your role/.test(f),
        3,
      ),
    ).rejects.toThrow(/never matched[\s\S]*Your name: ▌/);
  });
});

describe('waitForFrame with a text or pattern', () => {
  it('matches it across the line the frame was wrapped at', async () => {
    const frame = () => 'Report saved: /tmp/sd-drill-reports-Ab\ncDeF/drill-1.md and .json';
    expect(await waitForFrame(frame, '/tmp/sd-drill-reports-AbcDeF/drill-1.md')).toContain(
      'Report',
    );
    expect(await waitForFrame(frame, /saved: \S+drill-1\.md/)).toContain('Report');
  });
});
