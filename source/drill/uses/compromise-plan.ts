/**
 * A compromise rehearsal from a reviewed plan (`drill --plan`, `"mode": "compromise"`): the
 * rotation plan's shape — the old quorum (`participants`) brings the old instance up, the new
 * HSM's holders' certificates, quorum and domain file (`certificates`, `quorum`, `out`), and
 * who proves each new key (`newHolders`) — plus the holders whose sticks were reported lost
 * (`lost`). Then every key migrates, and the runner prints its progress.
 */
import * as z from 'zod';
import type {CeremonyState} from '../../ceremony/types.js';
import type {DrillSession} from '../session.js';
import type {Participant} from '../plan-participant.js';
import {
  rotationPlanShape,
  runRotationPlan,
  type PlanHelpers,
  type RotationPlan,
} from './rotation-plan.js';

export const compromisePlanShape = <P extends z.ZodType>(participant: P) =>
  rotationPlanShape(participant).extend({
    /** Holders whose sticks were reported lost: they do not present, their keys are never kept. */
    lost: z.array(z.number().int().min(1).max(10)).max(10).optional(),
  });

export interface CompromisePlan extends RotationPlan {
  lost?: number[] | undefined;
}

interface PlanLike {
  participants: Participant[];
  absent?: number[] | undefined;
}

/** Progress lines: every tenth of the inventory, and each key that does not migrate. */
function progressTeller(session: DrillSession, tell: (line: string) => void): () => void {
  let shownTenth = 0;
  let shownKeys = 0;
  return session.subscribe(() => {
    const m = (session.getState() as CeremonyState).compromise?.migration;
    if (!m) return;
    for (const k of m.keys.slice(shownKeys))
      if (k.outcome !== 'migrated')
        tell(`Key ${k.name} v${k.version} not migrated: ${k.reason ?? ''}`);
    shownKeys = m.keys.length;
    const tenth = Math.floor((m.keys.length * 10) / Math.max(1, m.total));
    if (tenth > shownTenth) {
      shownTenth = tenth;
      tell(`Migrating keys: ${m.keys.length} of ${m.total}`);
    }
  });
}

export async function runCompromisePlan<P extends PlanLike>(
  plan: P,
  compromise: CompromisePlan,
  session: DrillSession,
  tell: (line: string) => void,
  helpers: PlanHelpers<P>,
): Promise<void> {
  const stop = progressTeller(session, tell);
  try {
    await runRotationPlan(plan, compromise, session, tell, {
      ...helpers,
      write: (file) => session.compromise.provision(file),
      check: () => session.compromise.check(),
    });
  } finally {
    stop();
  }
}
