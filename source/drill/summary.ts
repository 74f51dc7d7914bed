/**
 * What the ceremony's state knows of an opened domain: public facts only (../ceremony/types.ts
 * DomainSummary), for the screens, the journal and the report.
 */
import type {DomainSummary} from '../ceremony/types.js';
import type {OpenedDomain} from '../domain/open.js';
import {identityOf, pinsMatching, type DomainPin} from '../store/pins.js';

export function summarise(opened: OpenedDomain): DomainSummary {
  const d = opened.domain.describe();
  return {
    format: d.format,
    file: d.file,
    ...(d.name ? {name: d.name} : {}),
    ...(d.id ? {id: d.id} : {}),
    ...(d.created ? {created: d.created} : {}),
    required: d.required,
    total: d.total,
    holders: d.holders.map((h) => ({
      index: h.index,
      ...(h.name ? {name: h.name} : {}),
      certFingerprint: h.certFingerprint,
      ...(h.bits ? {bits: h.bits} : {}),
    })),
    details: d.details,
    problems: d.problems.map((p) => ({...p, shares: [...p.shares]})),
    ...(opened.sha256 ? {sha256: opened.sha256} : {}),
    ...(d.reportKey ? {reportKey: d.reportKey} : {}),
    ...(d.generation ? {generation: d.generation} : {}),
    ...(d.encDataSha256 ? {encDataSha256: d.encDataSha256} : {}),
  };
}

/**
 * The report key the store pins for this domain, when one is (by its id, its EncData or a file
 * digest): a rotated file is linked there to the domain it came from, so its
 * history and review dates carry on. Only for those; proof needs a reconstruction.
 */
export function withKnownKey(summary: DomainSummary, pins: readonly DomainPin[]): DomainSummary {
  const keys = new Set(pinsMatching(pins, identityOf(summary)).map((p) => p.reportKey));
  const [key] = keys;
  return keys.size === 1 && key ? {...summary, knownKey: key} : summary;
}
