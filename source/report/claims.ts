/**
 * What a report says about its domain, set against what pins its key. A key proves only that
 * whoever signed could reconstruct *that key's* domain; a report of one domain re-signed with
 * another domain's key would otherwise pass as the first. So a report counts only when every
 * identifier it claims — format, domain id, HSM name, the file's SHA-256 (and a rotation's new
 * file), Azure's EncData, its holders' certificates — is one the pin knows for that key. What
 * is then shown is the pin's own label, never the report's words. (A compromise rehearsal's
 * report is signed by the new domain it made: that domain is the one checked.)
 */
import {holderSetDigest, type DomainIdentity, type DomainPin} from '../store/pins.js';
import type {DrillReport} from './model.js';

const short = (hex: string): string => `${hex.slice(0, 16)}…`;

/** The domain the report describes as the one whose key signed it. */
interface Described {
  format: 'native' | 'azure';
  file: string;
  name: string | null;
  id: string | null;
  sha256: string | null;
  encDataSha256: string | null;
  holders: string[];
  /** A rotation's two files: the new one written, and the old one it says it opened. */
  rotatedTo: string | null;
  rotatedFrom: string | null;
}

/**
 * A compromise rehearsal's report is signed by the new HSM's domain it made (its section's
 * `to`), every other report by the domain in its scope: that is the domain its key must pin.
 */
function described(report: DrillReport): Described | undefined {
  const to = report.compromise?.to;
  if (to)
    return {
      format: 'native',
      file: to.file,
      name: to.name,
      id: to.id,
      sha256: to.sha256,
      encDataSha256: null,
      holders: to.holders.map((h) => h.fingerprint),
      rotatedTo: null,
      rotatedFrom: null,
    };
  const d = report.scope.domain;
  if (!d) return undefined;
  return {
    format: d.format,
    file: d.file,
    name: d.name,
    id: d.id,
    sha256: d.sha256 ?? null,
    encDataSha256: d.encDataSha256 ?? null,
    holders: d.holders.map((h) => h.fingerprint),
    rotatedTo: report.rotation?.to?.sha256 ?? null,
    rotatedFrom: report.rotation?.from.sha256 ?? null,
  };
}

/** The domain the report says it is of, as an identity (never trusted on its own). */
export function claimedIdentity(report: DrillReport): DomainIdentity | undefined {
  const d = described(report);
  if (!d) return undefined;
  return {
    format: d.format,
    label: d.name ?? d.id ?? d.file,
    name: d.name,
    fileSha256: d.sha256,
    holderSet: holderSetDigest(d.holders),
    domainId: d.id,
    encDataSha256: d.encDataSha256,
    headerKey: null,
  };
}

/**
 * The report's claims that `record` (the store's record of the signing key) does not know;
 * none: every identifier agrees with that one record.
 */
export function claimsAgainstRecord(report: DrillReport, record: DomainPin): string[] {
  const d = described(report);
  if (!d) return ['it names no domain'];
  const out: string[] = [];
  if (d.format !== record.format)
    out.push(`it calls its domain ${d.format}, and the record is of an ${record.format} domain`);
  if (d.name !== null && !record.names.includes(d.name))
    out.push(`it names the HSM "${d.name}", a name the record does not have`);
  if (d.id !== null && !record.domainIds.includes(d.id))
    out.push(`its domain id ${d.id} is not the record's`);
  if (d.sha256 === null) out.push('it records no SHA-256 of its domain file');
  else if (!record.fileSha256s.includes(d.sha256))
    out.push(`its domain file (sha256 ${short(d.sha256)}) is not a file of the record's domain`);
  if (d.encDataSha256 !== null && !record.encDataSha256s.includes(d.encDataSha256))
    out.push(`its EncData (sha256 ${short(d.encDataSha256)}) is not the record's`);
  if (!record.holderSets.includes(holderSetDigest(d.holders)))
    out.push("its holders' certificates are not a set the record's domain was wrapped to");
  if (d.rotatedTo !== null && !record.fileSha256s.includes(d.rotatedTo))
    out.push(
      `the new file it says a rotation wrote (sha256 ${short(d.rotatedTo)}) is not on record`,
    );
  if (d.rotatedFrom !== null && d.rotatedFrom !== d.sha256)
    out.push(`its rotation's old file (sha256 ${short(d.rotatedFrom)}) is not the file it drilled`);
  return out;
}

/** The report's claims that the domain file given (`--sd`) contradicts. */
export function claimsAgainstFile(report: DrillReport, file: DomainIdentity): string[] {
  const d = described(report);
  if (!d) return ['it names no domain'];
  const out: string[] = [];
  if (d.format !== file.format) out.push(`it calls its domain ${d.format}, not ${file.format}`);
  if (d.name !== null && file.name !== null && d.name !== file.name)
    out.push(`it names the HSM "${d.name}", and the file names "${file.name}"`);
  if (d.id !== null && file.domainId !== null && d.id !== file.domainId)
    out.push(`its domain id ${d.id} is not the file's (${file.domainId})`);
  if (
    d.encDataSha256 !== null &&
    file.encDataSha256 !== null &&
    d.encDataSha256 !== file.encDataSha256
  )
    out.push(`its EncData (sha256 ${short(d.encDataSha256)}) is not the file's`);
  return out;
}
