/**
 * History across a rotation: an Azure file has no domain id, and a rotation writes the same
 * domain to a new file. Drills are one domain when they share an id, a file (without an id) or
 * the report key they were signed with — so the trend and review dates carry on.
 */
import {describe, expect, it} from 'vitest';
import {domainGroups, drillsOfDomain} from '../../source/store/history.js';
import type {DrillRecord} from '../../source/store/schema.js';

const K = `${'K'.repeat(43)}=`;
const OTHER = `${'O'.repeat(43)}=`;
const record = (id: string, file: string, date: string, publicKey: string | null): DrillRecord => ({
  id,
  domainId: null,
  domainFile: file,
  domainName: null,
  date,
  mode: 'rehearsal',
  verdict: publicKey ? 'pass' : 'fail',
  durationMs: 1,
  reportJson: null,
  reportMarkdown: null,
  publicKey,
});

describe('history across a rotation', () => {
  const drills = [
    record('a', '/sd-old.json', '2026-01-01T00:00:00Z', K),
    record('b', '/sd-old.json', '2026-02-01T00:00:00Z', null),
    record('c', '/sd-new.json', '2026-03-01T00:00:00Z', null),
    record('d', '/sd-new.json', '2026-04-01T00:00:00Z', K),
    record('e', '/elsewhere.json', '2026-04-02T00:00:00Z', OTHER),
  ];

  it('groups the old and new files of one domain by the key their passing drills were signed with', () => {
    const groups = domainGroups(drills).map((g) => g.map((r) => r.id));
    expect(groups).toEqual([['a', 'b', 'c', 'd'], ['e']]);
  });

  it('finds the old file’s drills for the new file when the key is known (its review date carries on)', () => {
    expect(drillsOfDomain(drills, {id: null, file: '/sd-new.json'}).map((r) => r.id)).toEqual([
      'c',
      'd',
    ]);
    expect(
      drillsOfDomain(drills, {id: null, file: '/sd-new.json', reportKey: K}).map((r) => r.id),
    ).toEqual(['a', 'c', 'd']);
  });
});
