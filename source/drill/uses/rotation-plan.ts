/**
 * A rotation from a reviewed plan (`drill --plan`, `"mode": "rotation"`): the old quorum
 * presents (`participants`), the new holders' certificates are given (`rotation.certificates`:
 * files, or for a native file an old holder's number to keep their certificate from it), the
 * new quorum and file (`quorum`, `out`), and every new holder presents their key against the
 * new file (`newHolders`). The same session and machine as the TUI's rotation.
 */
import * as z from 'zod';
import {loadCertificate} from '../../domain/key-file.js';
import type {DrillSession} from '../session.js';
import type {Participant} from '../plan-participant.js';

/** What a rotation plan needs of the plan it is part of. */
interface PlanLike {
  participants: Participant[];
  absent?: number[] | undefined;
}

export const rotationPlanShape = <P extends z.ZodType>(participant: P) =>
  z.strictObject({
    /** Certificate files, or (native) the number of an old holder whose certificate is kept. */
    certificates: z
      .array(z.union([z.string().min(1), z.number().int().min(1).max(10)]))
      .min(3)
      .max(10),
    quorum: z.number().int().min(2).max(10),
    out: z.string().min(1),
    newHolders: z.array(participant).max(10),
  });

export interface RotationPlan {
  certificates: Array<string | number>;
  quorum: number;
  out: string;
  newHolders: Participant[];
}

/** The files a rotation plan names that must exist before anything starts. */
export const rotationPlanFiles = (r: RotationPlan): string[] =>
  r.certificates.filter((c): c is string => typeof c === 'string');

export interface PlanHelpers<P extends PlanLike> {
  rel: (plan: P, path: string) => string;
  present: (
    plan: P,
    participants: readonly Participant[],
    session: DrillSession,
    tell: (line: string) => void,
    step: 'collect' | 'prove',
  ) => Promise<boolean>;
  /** Writes the new file (default: the rotation's; a compromise provisions its new HSM). */
  write?: (file: string) => Promise<void>;
  /** Checks every new share (default: the rotation's; a compromise then migrates). */
  check?: () => Promise<void>;
}

export async function runRotationPlan<P extends PlanLike>(
  plan: P,
  rotation: RotationPlan,
  session: DrillSession,
  tell: (line: string) => void,
  {rel, present, write, check}: PlanHelpers<P>,
): Promise<void> {
  for (const absent of plan.absent ?? []) session.markAbsent(absent);
  if (!(await present(plan, plan.participants, session, tell, 'collect'))) return;
  let s = session.getState();
  if (s.step !== 'collect') return;
  if (s.holders.filter((h) => h.state === 'accepted').length < (s.domain?.required ?? 0)) {
    for (const h of s.holders) if (h.state === 'waiting') session.markAbsent(h.index);
    return;
  }
  await session.reconstructAndRestore();
  if (session.getState().step !== 'enlist') return;
  const work = session.rotation;
  for (const c of rotation.certificates) {
    if (typeof c === 'number') work.keep(c);
    else {
      const file = rel(plan, c);
      const cert = loadCertificate(file);
      if (!cert.ok) return session.abort(`the plan's certificate ${cert.error.message}`);
      work.offerCertificate(cert.value, file);
    }
    const notice = session.getState().notice;
    if (notice?.level !== 'info')
      return session.abort(`the plan's new holders: ${notice?.text ?? ''}`);
  }
  work.choose();
  // A reviewed plan's quorum is a decision made beforehand; a lower one is still a finding.
  work.chooseQuorum(rotation.quorum, true);
  s = session.getState();
  if (s.step !== 'rewrap' || s.rotation?.required !== rotation.quorum)
    return session.abort(
      `the plan's new holders or quorum were not taken: ${s.notice?.text ?? `quorum ${rotation.quorum} of ${s.rotation?.newHolders.length ?? 0}`}`,
    );
  await (write ?? ((f) => work.write(f)))(rel(plan, rotation.out));
  s = session.getState();
  if (s.step !== 'prove') return session.abort(s.notice?.text ?? 'the new file was not written');
  tell(`New domain file written and checked: ${s.rotation?.to?.domain.file ?? ''}`);
  if (!(await present(plan, rotation.newHolders, session, tell, 'prove'))) return;
  s = session.getState();
  if (s.step !== 'prove') return;
  // A new holder the plan does not bring cannot prove their key: the rotation fails.
  const waiting = s.rotation?.to?.holders.filter((h) => h.state === 'waiting') ?? [];
  if (waiting.length > 0) return session.markAbsent(waiting[0]?.index ?? 0);
  await (check ?? (() => work.check()))();
}
