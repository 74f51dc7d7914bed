/**
 * The disasters a rehearsal can simulate, from the domain document, with the words the
 * screen and the report use. Data only: the TUI's disaster screen needs these, not the
 * simulated HSM itself.
 */
export const DISASTERS = ['destroyed', 'purged', 'archived-and-deleted'] as const;
export type Disaster = (typeof DISASTERS)[number];

export const DISASTER_TEXT: Record<Disaster, string> = {
  destroyed: 'every member HSM destroyed in a catastrophic failure',
  purged: 'soft-deleted, then purged after the retention period',
  'archived-and-deleted': 'archived with a backup, then all Azure resources deleted',
};
