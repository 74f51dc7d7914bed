/**
 * `sd-drill media`: the sticks sd-drill can see and the key files on them.
 *
 *   stick-a  folder under --media (simulated removable)  /demo/sticks/stick-a
 *     KIND         FILE        ENCRYPTED  FINGERPRINT     NOTE
 *     private key  alice.key   no         cert 3f2a9c1d…77e0
 *     certificate  alice.cer   -          cert 3f2a9c1d…77e0
 *     refused      passwd      symbolic link to /etc/passwd leaves the stick — not followed
 */
import {statSync} from 'node:fs';
import {shortFingerprint} from '../domain/key-file.js';
import {inputError} from '../errors.js';
import {defaultMountRoots, discoverSticks} from '../media/discover.js';
import {scanStick, type StickScan} from '../media/scan.js';
import {out, printJson} from './io.js';

export interface MediaOptions {
  media: string[];
  mountRoot: string[];
  json?: boolean;
}

function requireDirectory(option: string, dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw inputError('no-such-directory', `${option} ${dir}: no such directory`, dir);
}

function toJson(scans: StickScan[]): unknown {
  return {
    sticks: scans.map(({stick, ...scan}) => ({
      path: stick.path,
      label: stick.label,
      source: stick.source,
      removable: stick.removable,
      simulated: stick.simulated,
      device: stick.device,
      deviceId: stick.deviceId,
      fsType: stick.fsType,
      transport: stick.transport,
      evidence: stick.evidence,
      status: scan.status,
      keys: [...scan.keys, ...scan.certificates].map((k) => ({
        file: k.file,
        name: k.name,
        kind: k.kind,
        encoding: k.encoding,
        encrypted: k.encrypted,
        fingerprint: k.fingerprint,
        fingerprintKind: k.fingerprintKind,
        ...(k.kind === 'private-key' ? {certificate: k.certificate, bits: k.bits} : {}),
        ...(k.kind === 'certificate' ? {subject: k.subject, notAfter: k.notAfter} : {}),
        note: k.note,
      })),
      refused: scan.refused.map((r) => ({
        file: r.file,
        name: r.name,
        code: r.code,
        reason: r.reason,
      })),
      ignored: scan.ignored,
      entries: scan.entries,
    })),
  };
}

function table(rows: string[][], indent: string): string[] {
  const widths: number[] = [];
  // A row's last cell runs free (a long reason or note), so it never widens a column.
  for (const row of rows) {
    row.slice(0, -1).forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
  );
}

function where(scan: StickScan): string {
  const s = scan.stick;
  if (s.simulated) return 'folder under --media (simulated removable)';
  const hw =
    s.removable === true
      ? 'removable'
      : s.removable === false
        ? 'NOT removable'
        : 'removable: unknown';
  return [s.device, s.fsType, hw].filter(Boolean).join(', ');
}

function fingerprintCell(kind: 'certificate' | 'spki' | null, fp: string | null): string {
  if (!fp) return '-';
  return `${kind === 'spki' ? 'spki' : 'cert'} ${shortFingerprint(fp)}`;
}

function printHuman(scans: StickScan[], roots: string[]): void {
  if (scans.length === 0) {
    const looked = roots.length > 0 ? `under ${roots.join(', ')}` : 'in the --media folders';
    out(`No sticks found ${looked}. Insert a stick, or name a folder with --media DIR.`);
    return;
  }
  out(`${scans.length} stick${scans.length === 1 ? '' : 's'}`);
  for (const scan of scans) {
    const s = scan.stick;
    out('');
    out(`${s.label}  ${where(scan)}  ${s.path}`);
    if (!s.simulated) out(`  ${s.evidence}`);
    const rows: string[][] = [];
    for (const k of scan.keys) {
      rows.push([
        'private key',
        k.name,
        k.encrypted ? 'encrypted' : 'plain',
        fingerprintCell(k.fingerprintKind, k.fingerprint),
        k.note ?? '',
      ]);
    }
    for (const c of scan.certificates) {
      rows.push([
        'certificate',
        c.name,
        '-',
        fingerprintCell(c.fingerprintKind, c.fingerprint),
        c.note ?? '',
      ]);
    }
    for (const r of scan.refused) rows.push(['refused', r.name, r.reason]);
    if (rows.length === 0) out('  no key files');
    else
      for (const line of table(
        [['KIND', 'FILE', 'ENCRYPTED', 'FINGERPRINT', 'NOTE'], ...rows],
        '  ',
      ))
        out(line);
    if (scan.ignored > 0) {
      out(
        `  ${scan.ignored} other file${scan.ignored === 1 ? '' : 's'} ignored (not key material)`,
      );
    }
  }
}

/** `sd-drill media` (registered in ./register-ceremony.ts). */
export async function mediaAction(options: MediaOptions): Promise<void> {
  for (const dir of options.media) requireDirectory('--media', dir);
  for (const dir of options.mountRoot) requireDirectory('--mount-root', dir);
  const sticks = await discoverSticks({
    mediaDirs: options.media,
    mountRoots: options.mountRoot,
  });
  const scans = await Promise.all(sticks.map((stick) => scanStick(stick)));
  if (options.json) {
    printJson(toJson(scans));
    return;
  }
  const roots =
    options.mountRoot.length > 0
      ? options.mountRoot
      : options.media.length > 0
        ? []
        : defaultMountRoots();
  printHuman(scans, roots);
}
