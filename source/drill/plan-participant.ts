/** One participant of a drill plan: who comes, with which key and passphrase file. */
import * as z from 'zod';

export const participantSchema = z.strictObject({
  custodian: z.string().trim().min(1).max(100),
  role: z.string().trim().min(1).max(100),
  key: z.string().min(1),
  passphraseFile: z.string().min(1).optional(),
});
export type Participant = z.infer<typeof participantSchema>;
