/**
 * `sd-drill assess`: something was lost — which response does the domain document call for?
 * Sticks by holder (`--lost`, repeatable) and the file itself (`--file-exposed`). The answer
 * (rotate now, or treat the domain as compromised and move to a new HSM), one paragraph of why
 * and what to run next; the assessment goes into the custody log. No key is needed: it reads
 * the domain file's public parts and the holder registry only.
 */
import {resolve} from 'node:path';
import {inputError, unwrap} from '../errors.js';
import {
  assessLoss,
  identifyHolder,
  type Assessment,
  type LossFile,
  type LostHolder,
} from '../domain/loss.js';
import {openDomainFile} from '../domain/open.js';
import {quorumAtOneSite, rolesNotSeparate} from '../report/findings-separation.js';
import type {Finding} from '../report/model.js';
import type {CustodyEntry} from '../store/schema.js';
import {openStore, type Store} from '../store/store.js';
import {reportStoreWarnings} from './history.js';
import {out, printJson, warn} from './io.js';

export interface AssessOptions {
  sd: string;
  lost: string[];
  fileExposed?: boolean;
  json?: boolean;
}

const VERDICT_LINE: Record<Assessment['verdict'], string> = {
  'no-loss': 'NOTHING LOST — no action needed',
  rotate: 'ROTATE NOW — the file is safe and fewer than a quorum of sticks are lost',
  compromised:
    'COMPROMISED — provision a new HSM with a new security domain, move every key’s data to it, purge the old HSM',
};

const holderText = (h: {index: number; name?: string}): string =>
  h.name ? `holder ${h.index} (${h.name})` : `holder ${h.index}`;

/** The custody log's record of the assessment: each lost stick, the file, and the verdict. */
function record(
  store: Store,
  domain: LossFile,
  a: Assessment,
): {entries: CustodyEntry[]; error?: string} {
  const where = `${domain.file}${domain.sha256 ? ` (sha256 ${domain.sha256})` : ''}`;
  const verdict = `assess verdict: ${a.verdict}`;
  const wanted = [
    ...a.lost.map((h) => ({
      from: h.custodian ?? `custodian of ${holderText(h)}`,
      to: 'lost (reported)',
      fingerprint: h.certFingerprint,
      note: `the stick of ${holderText(h)} of ${where} reported lost; ${verdict}`,
    })),
    ...(a.fileExposed
      ? [
          {
            from: 'the quorum',
            to: 'lost or exposed (reported)',
            fingerprint: null,
            note: `the security-domain file ${where} reported lost or exposed; ${verdict}`,
          },
        ]
      : []),
    {
      from: 'sd-drill assess',
      to:
        a.verdict === 'compromised'
          ? 'compromised'
          : a.verdict === 'rotate'
            ? 'rotate now'
            : 'no loss',
      fingerprint: null,
      note: `${where}: ${a.lost.length === 0 ? 'no stick' : a.lost.map(holderText).join(', ')} lost${a.fileExposed ? ', the file lost or exposed' : ''}; ${a.remaining.length} of ${domain.total} holders left, quorum ${domain.required}${a.lockout ? ' (below the quorum: crypto lockout risk)' : ''}`,
    },
  ];
  const entries: CustodyEntry[] = [];
  for (const w of wanted) {
    const added = store.addCustody(w);
    if (!added.ok) return {entries, error: added.error.message};
    entries.push(added.value);
  }
  return {entries};
}

function print(domain: LossFile, a: Assessment, recorded: number, also: Finding[]): void {
  out(
    `Assessment of ${domain.file} (${domain.format}${domain.name ? `, ${domain.name}` : ''}, quorum ${domain.required} of ${domain.total}${domain.sha256 ? `, sha256 ${domain.sha256.slice(0, 16)}…` : ''})`,
  );
  if (a.lost.length === 0) out('Lost sticks: none reported');
  for (const h of a.lost)
    out(
      `Lost: ${holderText(h)}${h.custodian ? `, custodian ${h.custodian}${h.location ? ` at ${h.location}` : ''}` : ''} — "${h.given}" matched by ${h.identifiedBy === 'number' ? 'holder number' : h.identifiedBy === 'custodian' ? 'custodian name (holder registry)' : h.identifiedBy === 'name' ? 'holder name (the file)' : 'certificate fingerprint'}`,
    );
  out(`The domain file: ${a.fileExposed ? 'lost or exposed' : 'safe (not reported lost)'}`);
  out(
    `Left: ${a.remaining.length} of ${domain.total} holders (${a.remaining.map((i) => holderText(domain.holders.find((h) => h.index === i) ?? {index: i})).join(', ') || 'none'}); the quorum is ${domain.required}${a.lockout ? ' — BELOW THE QUORUM: crypto lockout risk' : ''}.`,
  );
  out('');
  out(`Verdict: ${VERDICT_LINE[a.verdict]}`);
  out('');
  out(`Why: ${a.why}`);
  out('');
  out('Next:');
  for (const [i, step] of a.next.entries()) out(`  ${i + 1}. ${step}`);
  if (also.length > 0) {
    out('');
    out('Also, from the holder registry (whoever holds the new keys, keep them apart):');
    for (const f of also) out(`  ${f.severity === 'error' ? '✗' : '!'} ${f.rule}: ${f.evidence}`);
  }
  out('');
  out(
    recorded > 0
      ? `Recorded in the custody log: ${recorded} ${recorded === 1 ? 'entry' : 'entries'} (sd-drill custody list).`
      : 'Not recorded in the custody log (see the warning above).',
  );
}

function assess(options: AssessOptions): number {
  const opened = unwrap(openDomainFile(options.sd));
  const d = opened.domain.describe();
  const domain: LossFile = {
    file: resolve(d.file),
    format: d.format,
    ...(d.name ? {name: d.name} : {}),
    ...(opened.sha256 ? {sha256: opened.sha256} : {}),
    ...(d.generation ? {generation: d.generation} : {}),
    required: d.required,
    total: d.total,
    holders: d.holders,
  };
  const store = openStore();
  const registry = store.registry();
  const lost: LostHolder[] = [];
  for (const given of options.lost) {
    const found = identifyHolder(given, domain, registry);
    if (!found.ok) throw inputError('unknown-holder', found.message, domain.file);
    if (!lost.some((h) => h.index === found.holder.index)) lost.push(found.holder);
  }
  lost.sort((a, b) => a.index - b.index);
  const a = assessLoss(domain, lost, options.fileExposed === true);
  // The same separation rules the inspect step shows: a loss is when a cluster of keys hurts.
  const also = [...quorumAtOneSite(domain, registry), ...rolesNotSeparate(domain, registry)];
  const kept = record(store, domain, a);
  reportStoreWarnings(store);
  if (kept.error) warn(`the assessment was not recorded in the custody log: ${kept.error}`);
  if (options.json) {
    printJson({
      verdict: a.verdict,
      file: domain.file,
      format: domain.format,
      sha256: domain.sha256 ?? null,
      quorum: {required: domain.required, total: domain.total},
      lost: a.lost.map((h) => ({
        holder: h.index,
        name: h.name ?? null,
        fingerprint: h.certFingerprint,
        custodian: h.custodian ?? null,
        location: h.location ?? null,
        given: h.given,
        identifiedBy: h.identifiedBy,
      })),
      fileExposed: a.fileExposed,
      remaining: a.remaining,
      lockout: a.lockout,
      compromisedBecause: a.because,
      why: a.why,
      next: a.next,
      rotate: a.rotateCommand ?? null,
      separation: also,
      recorded: kept.entries,
    });
    return 0;
  }
  print(domain, a, kept.entries.length, also);
  return 0;
}

/** `sd-drill assess` (registered in ./register-domain.ts). */
export function assessAction(options: AssessOptions): void {
  process.exitCode = assess(options);
}
