/** What the rest of sd-drill knows about a stick. Plain data: safe to keep in React state. */

/**
 * `mount`: a mounted volume found in the mount table (Linux) or under /Volumes (macOS).
 * `folder`: a subfolder of a `--media DIR`, standing in for a stick in demos, training and
 * tests. Policy must tell the two apart: a folder is only a simulated removable device.
 */
export type StickSource = 'mount' | 'folder';

export interface Stick {
  /**
   * Stable identity while the stick stays inserted; a new mount of the same stick gets a new
   * id (the kernel's mount ID changes), so re-insertion is seen as leave + arrive.
   */
  id: string;
  /** The stick's root: its mount point, or the folder. */
  path: string;
  /** Filesystem label where known, else the mount point's or folder's name. */
  label: string;
  source: StickSource;
  /** What was mounted (`/dev/sdb1`, `/dev/disk4s1`, `tmpfs`); null for folders. */
  device: string | null;
  /**
   * The physical device behind the stick, for "same device" evidence: the whole disk
   * (`/dev/sdb`, `/dev/disk4`) where known, otherwise something unique to this filesystem
   * (`tmpfs@0:45`), or `folder:<path>` for a folder stick.
   */
  deviceId: string;
  fsType: string | null;
  /**
   * On removable hardware (USB, SD card, ejectable): true/false, or null when nothing could
   * tell (lsblk, /sys and diskutil all silent). A folder stick is `true` but `simulated`.
   */
  removable: boolean | null;
  /** True for folder sticks: the removability is make-believe for demos and tests. */
  simulated: boolean;
  /** `usb`, `sata`, `nvme`, `mmc`, `USB`…, where the system said. */
  transport: string | null;
  /** One line on where `removable` comes from, for reports and policy findings. */
  evidence: string;
  /**
   * `stat().dev` the stick's root has while it is mounted: a scan compares it to tell a stick
   * still there from the empty directory a pulled stick leaves behind. Null when unknown.
   */
  rootDev: number | null;
}
