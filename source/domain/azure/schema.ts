/**
 * The shapes of an Azure security-domain file and of a restore blob, checked with zod (its
 * mini API: see ../schema-issue.ts). Unknown extra fields are ignored (azure-cli ignores them
 * too, and a newer HSM may add some); every field we rely on is checked.
 */
import * as z from 'zod/mini';

export {describeIssue, issueMessage} from '../schema-issue.js';

const encData = z.object({
  data: z
    .array(z.object({compact_jwe: z.string(), tag: z.string().check(z.minLength(1))}))
    .check(z.minLength(1)),
  kdf: z.optional(z.string()),
});

export const sdFileSchema = z.object({
  EncData: encData,
  SharedKeys: z.object({
    enc_shares: z.array(z.object({enc_key: z.string(), x5t_256: z.string()})).check(z.minLength(1)),
    key_algorithm: z.string(),
    // Checked by hand after parsing, for a message that says what the quorum must be.
    required: z.optional(z.unknown()),
  }),
  version: z.optional(z.unknown()),
});
export type SdFileJson = z.infer<typeof sdFileSchema>;

export const restoreBlobSchema = z.object({
  EncData: encData,
  WrappedKey: z.object({enc_key: z.string(), x5t_256: z.string()}),
});
export type RestoreBlobJson = z.infer<typeof restoreBlobSchema>;
