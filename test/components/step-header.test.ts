import {describe, expect, it} from 'vitest';
import {STEP_TITLES} from '../../source/ceremony/types.js';
import {stepTrail} from '../../source/components/step-header.js';

describe('the step header', () => {
  it('keeps the current step on an 80-column line, dropping far steps first', () => {
    const flow = ['load', 'inspect', 'collect', 'enlist', 'rewrap', 'prove', 'report'] as const;
    for (const step of flow) {
      const trail = stepTrail(flow, step, 80 - `Step 7/7 ${STEP_TITLES[step]}  `.length);
      expect(trail).toContain(`[${step}]`);
      expect(`Step 7/7 ${STEP_TITLES[step]}  ${trail}`.length).toBeLessThanOrEqual(80);
    }
    expect(stepTrail(flow, 'load', 200)).toBe(
      '[load] › inspect › collect › enlist › rewrap › prove › report',
    );
    expect(stepTrail(flow, 'report', 30)).toBe('… › rewrap › prove › [report]');
  });
});
