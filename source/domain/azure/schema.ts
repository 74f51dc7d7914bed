/**
 * The shapes of an Azure security-domain file and of a restore blob, checked with zod, and
 * the one-line messages made from zod's findings. Unknown extra fields are ignored (azure-cli
 * ignores them too, and a newer HSM may add some); every field we rely on is checked.
 */
import * as z from 'zod';
import {clip} from '../../errors.js';

export const sdFileSchema = z.object({
  EncData: z.object({
    data: z.array(z.object({compact_jwe: z.string(), tag: z.string().min(1)})).min(1),
    kdf: z.string().optional(),
  }),
  SharedKeys: z.object({
    enc_shares: z.array(z.object({enc_key: z.string(), x5t_256: z.string()})).min(1),
    key_algorithm: z.string(),
    // Checked by hand after parsing, for a message that says what the quorum must be.
    required: z.unknown().optional(),
  }),
  version: z.unknown().optional(),
});
export type SdFileJson = z.infer<typeof sdFileSchema>;

export const restoreBlobSchema = z.object({
  EncData: z.object({
    data: z.array(z.object({compact_jwe: z.string(), tag: z.string().min(1)})).min(1),
    kdf: z.string().optional(),
  }),
  WrappedKey: z.object({enc_key: z.string(), x5t_256: z.string()}),
});
export type RestoreBlobJson = z.infer<typeof restoreBlobSchema>;

function pathText(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || 'the top level';
}

/** "SharedKeys.enc_shares[1].x5t_256 is missing" — the first problem zod found, one line. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'is malformed';
  const where = pathText(issue.path);
  const message = issue.message.replace(/^Invalid input:\s*/i, '').replace(/\s+/g, ' ');
  if (issue.code === 'invalid_type' && /received undefined/.test(message)) {
    return clip(`${where} is missing`);
  }
  return clip(`${where}: ${message}`);
}
