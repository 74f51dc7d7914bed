/** Where sticks get mounted. A module of its own: `--help` names these without loading discovery. */
export function defaultMountRoots(platform: NodeJS.Platform = process.platform): string[] {
  // /run/media/<user> (Fedora, Arch, openSUSE via udisks2) and /media/<user> or /media
  // (Debian, Ubuntu) lie anywhere under these; /mnt is where people mount by hand.
  return platform === 'darwin' ? ['/Volumes'] : ['/media', '/run/media', '/mnt'];
}
