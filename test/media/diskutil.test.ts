import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {diskutilRemovable, parseDiskutilInfo} from '../../source/media/diskutil.js';
import {parsePlist} from '../../source/media/plist.js';
import {fixturesDir} from '../helpers/paths.js';

const plist = (name: string): string =>
  readFileSync(join(fixturesDir, 'media', 'macos', name), 'utf8');

describe('diskutil info -plist', () => {
  it('an external USB stick is removable', () => {
    const info = parseDiskutilInfo(plist('diskutil-usb-stick.plist'));
    expect(info).toEqual({
      volumeName: 'KEY-ALICE',
      deviceNode: '/dev/disk4s1',
      wholeDisk: '/dev/disk4',
      fsType: 'msdos',
      busProtocol: 'USB',
      internal: false,
      removable: true,
      ejectable: true,
      mountPoint: '/Volumes/KEY-ALICE',
    });
    expect(info && diskutilRemovable(info)).toBe(true);
  });

  it("the Mac's internal APFS data volume is a fixed disk", () => {
    const info = parseDiskutilInfo(plist('diskutil-internal-apfs.plist'));
    expect(info).toMatchObject({
      volumeName: 'Macintosh HD - Data',
      deviceNode: '/dev/disk3s5',
      wholeDisk: '/dev/disk3',
      busProtocol: 'Apple Fabric',
      internal: true,
      removable: false,
      ejectable: false,
    });
    expect(info && diskutilRemovable(info)).toBe(false);
  });

  it('a USB SSD that is neither "removable media" nor ejectable counts as removable (external)', () => {
    const info = parseDiskutilInfo(plist('diskutil-usb-ssd-exfat.plist'));
    expect(info).toMatchObject({volumeName: 'Keys & Certs', fsType: 'exfat', internal: false});
    expect(info && diskutilRemovable(info)).toBe(true);
  });

  it('says nothing rather than guess', () => {
    expect(parseDiskutilInfo('Could not find disk: /Volumes/gone')).toBeUndefined();
    expect(parseDiskutilInfo('<plist><array></array></plist>')).toBeUndefined();
    const bare = parseDiskutilInfo(
      '<plist><dict><key>VolumeName</key><string>X</string></dict></plist>',
    );
    expect(bare && diskutilRemovable(bare)).toBeNull();
  });
});

describe('parsePlist', () => {
  it('reads nested arrays and dicts, data, dates, reals and empty elements', () => {
    const value = parsePlist(`<?xml version="1.0"?>
<!-- a comment -->
<plist version="1.0"><dict>
  <key>a</key><array><dict><key>b</key><string>c &lt;&amp;&gt; &#x41;</string></dict><dict/></array>
  <key>d</key><data>aGVs
  bG8=</data>
  <key>e</key><real>1.5</real>
  <key>f</key><date>2024-01-02T03:04:05Z</date>
  <key>g</key><string/>
  <key>h</key><array/>
</dict></plist>`);
    expect(value).toEqual({
      a: [{b: 'c <&> A'}, {}],
      d: Buffer.from('hello'),
      e: 1.5,
      f: new Date('2024-01-02T03:04:05Z'),
      g: '',
      h: [],
    });
  });

  it('throws on malformed input', () => {
    expect(() => parsePlist('<plist><dict><key>a</key></dict></plist>')).toThrow();
    expect(() => parsePlist('<plist><dict><string>x</string></dict></plist>')).toThrow();
    expect(() => parsePlist('<plist><integer>nope</integer></plist>')).toThrow();
    expect(() => parsePlist('')).toThrow();
  });
});
