/**
 * The rule for a passphrase that protects a new real wrapping key (keygen, onboarding): at
 * least 12 characters. Counted on the UTF-8 bytes, never turned into a string: é is one
 * character, as the masked field shows it.
 */
export const MIN_NEW_PASSPHRASE = 12;

/** Characters (code points) in a UTF-8 passphrase. */
export function passphraseCharacters(bytes: Buffer): number {
  let n = 0;
  for (const b of bytes) if ((b & 0xc0) !== 0x80) n++;
  return n;
}

/** Why a new passphrase is refused, or undefined when it may be used. */
export function newPassphraseProblem(bytes: Buffer): string | undefined {
  const n = passphraseCharacters(bytes);
  if (n >= MIN_NEW_PASSPHRASE) return undefined;
  return `that passphrase has ${n} character${n === 1 ? '' : 's'}; a new key's passphrase needs ${MIN_NEW_PASSPHRASE} or more`;
}
