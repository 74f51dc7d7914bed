/**
 * macOS: `diskutil info -plist <mount point>` says how a volume is attached. The keys read
 * here: VolumeName, DeviceNode (/dev/disk4s1), ParentWholeDisk (disk4), FilesystemType,
 * BusProtocol (USB, SATA, PCI-Express, Apple Fabric…), Internal, Removable, RemovableMedia,
 * RemovableMediaOrExternalDevice and Ejectable.
 */
import {parsePlist, type PlistDict, type PlistValue} from './plist.js';
import {runTool, TOOL_TIMEOUT_MS} from './run-tool.js';

export interface DiskutilInfo {
  volumeName: string | null;
  deviceNode: string | null;
  /** `/dev/disk4`: the whole disk the volume lives on. */
  wholeDisk: string | null;
  fsType: string | null;
  busProtocol: string | null;
  internal: boolean | null;
  removable: boolean | null;
  ejectable: boolean | null;
  mountPoint: string | null;
}

function text(dict: PlistDict, key: string): string | null {
  const v = dict[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

function flag(dict: PlistDict, key: string): boolean | null {
  const v = dict[key];
  return typeof v === 'boolean' ? v : null;
}

function anyFlag(dict: PlistDict, keys: string[]): boolean | null {
  const values = keys.map((k) => flag(dict, k)).filter((v): v is boolean => v !== null);
  return values.length === 0 ? null : values.some(Boolean);
}

/** Reads the fields we use from diskutil's plist; undefined when the text is not a plist dict. */
export function parseDiskutilInfo(xml: string): DiskutilInfo | undefined {
  let doc: PlistValue;
  try {
    doc = parsePlist(xml);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || doc instanceof Date)
    return undefined;
  if (Buffer.isBuffer(doc)) return undefined;
  const dict = doc as PlistDict;
  const parent = text(dict, 'ParentWholeDisk');
  return {
    volumeName: text(dict, 'VolumeName'),
    deviceNode: text(dict, 'DeviceNode'),
    wholeDisk: parent ? `/dev/${parent.replace(/^\/dev\//, '')}` : null,
    fsType: text(dict, 'FilesystemType') ?? text(dict, 'FilesystemName'),
    busProtocol: text(dict, 'BusProtocol'),
    internal: flag(dict, 'Internal'),
    removable: anyFlag(dict, ['Removable', 'RemovableMedia', 'RemovableMediaOrExternalDevice']),
    ejectable: flag(dict, 'Ejectable'),
    mountPoint: text(dict, 'MountPoint'),
  };
}

/**
 * Whether the volume is on something that leaves with the user: removable or ejectable media,
 * a USB bus, or a device macOS calls external. A disk macOS calls internal and neither
 * removable nor ejectable is fixed. Null when diskutil said nothing either way.
 */
export function diskutilRemovable(info: DiskutilInfo): boolean | null {
  if (info.removable || info.ejectable || info.busProtocol?.toUpperCase() === 'USB') return true;
  if (info.internal === false) return true;
  if (info.internal === true) return false;
  if (info.removable === false && info.ejectable === false) return false;
  return null;
}

export async function runDiskutilInfo(
  target: string,
  timeoutMs = TOOL_TIMEOUT_MS,
): Promise<DiskutilInfo | undefined> {
  const outcome = await runTool('diskutil', ['info', '-plist', target], timeoutMs);
  return outcome.ok ? parseDiskutilInfo(outcome.stdout) : undefined;
}
