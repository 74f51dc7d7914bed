/**
 * `drill --plan FILE`: a drill without a terminal, from a plan reviewed beforehand (like a
 * key-ceremony script). It drives the same session and machine as the TUI: every participant
 * inserts a (folder) stick, is matched, acknowledges, gives a passphrase, removes the stick.
 */
import {existsSync} from 'node:fs';
import {dirname, isAbsolute, resolve} from 'node:path';
import * as z from 'zod';
import {fail, inputError, ok, type Result} from '../errors.js';
import {describeIssue, issueMessage} from '../domain/schema-issue.js';
import {readSmallFileSync} from '../fs/read-file.js';
import {parseStrictJsonBytes} from '../strict-json.js';
import {readPassphraseFile} from '../domain/passphrase-file.js';
import {wipe} from '../secret.js';
import {DISASTERS} from '../hsm/disasters.js';
import type {CeremonyState} from '../ceremony/types.js';
import type {DrillSession} from './session.js';
import {participantSchema, type Participant} from './plan-participant.js';
import {firstPinFacts, firstPinLines, needsFirstPin} from './first-pin.js';
import type {DomainPin} from '../store/pins.js';

export {participantSchema, type Participant} from './plan-participant.js';
import {awaitContributions, callRemotes, remoteProblem, remoteSchema} from './plan-remote.js';
import {rotationPlanFiles, rotationPlanShape, runRotationPlan} from './uses/rotation-plan.js';
import {compromisePlanShape, runCompromisePlan} from './uses/compromise-plan.js';

export const planSchema = z
  .strictObject({
    domain: z.string().min(1),
    mode: z.enum(['rehearsal', 'restore', 'onboarding', 'rotation', 'compromise']).optional(),
    /** Every use but a rotation simulates (or, restoring, names) a disaster. */
    scenario: z.enum(DISASTERS).optional(),
    participants: z.array(participantSchema).max(20),
    /** Holders known not to come: marked absent (a finding in the report). */
    absent: z.array(z.number().int().min(1).max(10)).optional(),
    /** Holders at other sites, answering a request with a sealed contribution (./plan-remote.ts). */
    remote: remoteSchema.optional(),
    /** Rotation: the new holders, the new quorum and file, and who proves each new key. */
    rotation: rotationPlanShape(participantSchema).optional(),
    /** Compromise rehearsal: the rotation's fields for the new HSM, and the sticks lost. */
    compromise: compromisePlanShape(participantSchema).optional(),
    reportDir: z.string().min(1),
    /**
     * A pass on a domain this machine has no record of pins its key only when the plan says
     * so: the reviewer of the plan decides, as the operator does on screen.
     */
    pinFirstUse: z.boolean().optional(),
  })
  .refine((p) => p.mode === 'rotation' || p.mode === 'compromise' || p.scenario !== undefined, {
    message: 'scenario is required (destroyed, purged or archived-and-deleted)',
    path: ['scenario'],
  })
  .refine((p) => (p.mode === 'rotation') === (p.rotation !== undefined), {
    message:
      'rotation (certificates, quorum, out, newHolders) goes with mode "rotation", and only with it',
    path: ['rotation'],
  })
  .refine((p) => (p.mode === 'compromise') === (p.compromise !== undefined), {
    message:
      'compromise (certificates, quorum, out, newHolders, lost) goes with mode "compromise", and only with it',
    path: ['compromise'],
  });

export type Plan = z.infer<typeof planSchema> & {file: string; baseDir: string};

export const rel = (plan: Plan, p: string): string =>
  isAbsolute(p) ? p : resolve(plan.baseDir, p);

/** Reads and validates a plan; every path it names must exist before anything starts. */
export function readPlan(file: string): Result<Plan> {
  const bytes = readSmallFileSync(file, 1024 * 1024, 'plan file');
  if (!bytes.ok) return bytes;
  // Strict: a plan is reviewed before it runs, so it must mean what its reviewer read.
  const read = parseStrictJsonBytes(bytes.value);
  if (!read.ok)
    return fail(
      inputError('not-json', `${file}: the plan is not valid JSON: ${read.problem}`, file),
    );
  const json = read.value;
  const parsed = planSchema.safeParse(json, {error: issueMessage});
  if (!parsed.success)
    return fail(inputError('bad-plan', `${file}: bad plan: ${describeIssue(parsed.error)}`, file));
  const plan: Plan = {...parsed.data, file, baseDir: dirname(resolve(file))};
  const files = (ps: readonly Participant[]) =>
    ps.flatMap((p) => [p.key, ...(p.passphraseFile ? [p.passphraseFile] : [])]);
  const missing = [
    plan.domain,
    ...files(plan.participants),
    ...(plan.rotation ? rotationPlanFiles(plan.rotation) : []),
    ...files(plan.rotation?.newHolders ?? []),
    ...(plan.compromise ? rotationPlanFiles(plan.compromise) : []),
    ...files(plan.compromise?.newHolders ?? []),
  ]
    .map((p) => rel(plan, p))
    .find((p) => !existsSync(p));
  if (missing)
    return fail(
      inputError('missing', `${file}: the plan names ${missing}, which does not exist`, file),
    );
  if (plan.compromise && existsSync(rel(plan, plan.compromise.out)))
    return fail(
      inputError(
        'exists',
        `${file}: the plan's compromise.out ${rel(plan, plan.compromise.out)} already exists; the new HSM's domain is never written over a file`,
        file,
      ),
    );
  if (plan.rotation && existsSync(rel(plan, plan.rotation.out)))
    return fail(
      inputError(
        'exists',
        `${file}: the plan's rotation.out ${rel(plan, plan.rotation.out)} already exists; a rotation never writes over a file`,
        file,
      ),
    );
  const remote = (plan.remote ?? []).map((r) => ({
    ...r,
    request: rel(plan, r.request),
    contribution: rel(plan, r.contribution),
  }));
  const problem = remoteProblem(remote, plan.absent ?? []);
  if (problem) return fail(inputError('bad-plan', `${file}: bad plan: ${problem}`, file));
  return ok({
    ...plan,
    domain: rel(plan, plan.domain),
    reportDir: rel(plan, plan.reportDir),
    ...(plan.remote ? {remote} : {}),
  });
}

function firstLine(file: string): Result<Buffer | undefined> {
  const lines = readPassphraseFile(file);
  if (!lines.ok) return lines;
  const [first, ...rest] = lines.value;
  wipe(...rest);
  return ok(first);
}

/**
 * Walks the ceremony for a plan; returns when the drill has ended (report step). `tell` gets
 * one line per participant saying what became of them (share accepted, or why not, in the
 * words the TUI would show), for the operator.
 */
export async function runPlan(
  plan: Plan,
  session: DrillSession,
  tell: (line: string) => void = () => {},
): Promise<void> {
  session.chooseMode(plan.mode ?? 'rehearsal');
  if (!session.loadDomain(plan.domain)) return;
  if (plan.compromise) session.compromise.reportLost(plan.compromise.lost ?? []);
  session.inspected();
  if (plan.compromise)
    return runCompromisePlan(plan, plan.compromise, session, tell, {rel, present: presentAll});
  if (plan.rotation)
    return runRotationPlan(plan, plan.rotation, session, tell, {rel, present: presentAll});
  if ((plan.mode ?? 'rehearsal') !== 'restore' && plan.scenario)
    session.simulateDisaster(plan.scenario);
  await session.bringUpRecoveryHsm();
  for (const absent of plan.absent ?? []) session.markAbsent(absent);
  // Requests go out first, so holders at other sites work while the local ones present.
  const deadlines = await callRemotes(plan.remote ?? [], session, tell);
  if (!(await presentAll(plan, plan.participants, session, tell, 'collect'))) return;
  await awaitContributions(plan.remote ?? [], deadlines, session, tell);
  const s = session.getState();
  if (s.step !== 'collect') return;
  const required = s.domain?.required ?? 0;
  if (s.holders.filter((h) => h.state === 'accepted').length < required) {
    // Everyone the plan did not bring is absent: the machine then ends the drill as failed.
    for (const h of s.holders) if (h.state === 'waiting') session.markAbsent(h.index);
    return;
  }
  await session.reconstructAndRestore();
}

/**
 * The drill passed on a domain this machine has no record of: the plan's `pinFirstUse` decides
 * whether its key is pinned, and the operator is told what was (or was not) pinned.
 */
export function settleFirstPin(
  plan: Plan,
  session: DrillSession,
  pins: readonly DomainPin[],
  tell: (line: string) => void,
): void {
  const state = session.getState();
  if (!needsFirstPin(state)) return;
  const facts = firstPinFacts(state, pins);
  const pin = plan.pinFirstUse === true;
  session.decideFirstPin(pin);
  if (!facts) return;
  tell(
    pin
      ? `First use: no key was on record here for "${facts.label}"; its key is pinned, as the plan says ("pinFirstUse": true):`
      : `First use: no key is on record here for "${facts.label}", and its key is NOT pinned (the plan does not say "pinFirstUse": true); its reports verify only with ${facts.header ? '--sd (its file) or ' : ''}--expect-key:`,
  );
  for (const line of firstPinLines(facts)) tell(`  ${line}`);
}

/**
 * Each participant inserts a (folder) stick, presents the named key, and removes the stick,
 * while the ceremony is in `step`; false when a passphrase file could not be read (aborted).
 */
export async function presentAll(
  plan: Plan,
  participants: readonly Participant[],
  session: DrillSession,
  tell: (line: string) => void,
  step: 'collect' | 'prove',
): Promise<boolean> {
  for (const p of participants) {
    if (session.getState().step !== step) break;
    const keyFile = rel(plan, p.key);
    const stickPath = dirname(keyFile);
    const stick = {
      path: stickPath,
      label: stickPath.split('/').pop() ?? stickPath,
      source: 'folder' as const,
      removable: null,
      device: `folder:${stickPath}`,
    };
    let passphrase: Buffer | undefined;
    if (p.passphraseFile) {
      const line = firstLine(rel(plan, p.passphraseFile));
      if (!line.ok) {
        session.abort(line.error.message);
        return false;
      }
      passphrase = line.value;
    }
    const before = new Set(accepted(session, step));
    await session.presentFile(stick, keyFile, {name: p.custodian, role: p.role}, passphrase);
    const now = session.getState();
    const taken = holdersIn(now, step).find((h) => h.state === 'accepted' && !before.has(h.index));
    const whose = step === 'prove' ? 'new holder' : 'holder';
    tell(
      taken
        ? `${p.custodian}: share of ${whose} ${taken.index}${taken.name ? ` (${taken.name})` : ''} accepted`
        : `${p.custodian}: no share taken — ${planWords(now.notice?.text ?? now.outcome?.reason ?? 'the key was not accepted')}`,
    );
    if (session.getState().presenting) session.cancelPresenting();
    session.stickRemoved(stickPath);
  }
  return true;
}

/** The holders presenting in `step`: the domain's, or a rotation's new holders. */
const holdersIn = (s: CeremonyState, step: 'collect' | 'prove') =>
  step === 'prove' ? (s.rotation?.to?.holders ?? []) : s.holders;

function accepted(session: DrillSession, step: 'collect' | 'prove'): number[] {
  return holdersIn(session.getState(), step)
    .filter((h) => h.state === 'accepted')
    .map((h) => h.index);
}

/**
 * A notice in a plan's words: a plan gives one passphrase per participant, so the TUI's
 * "— 2 tries left" and "Remove the stick." do not apply.
 */
function planWords(notice: string): string {
  return notice.replace(/ — \d+ tr(?:y|ies) left\.$/, '.').replace(/ Remove the stick\.$/, '');
}
