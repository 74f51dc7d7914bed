import {it} from 'vitest';
import {discoverSticks} from '../source/media/discover.js';
import {scanStick} from '../source/media/scan.js';
import {DrillSession} from '../source/drill/session.js';
it('debug', async () => {
  const sticks = await discoverSticks({mediaDirs: ['fixtures/demo/sticks']});
  console.log(sticks[0]);
  const scan = await scanStick(sticks[0]!);
  console.log(JSON.stringify(scan.keys, null, 1));
  const s = new DrillSession();
  s.chooseMode('rehearsal'); s.loadDomain('fixtures/demo/security-domain.json'); s.inspected(); s.simulateDisaster('purged');
  await s.bringUpRecoveryHsm();
  await s.stickInserted(sticks[0]!);
  console.log(s.getState().notice, s.getState().presenting);
});
