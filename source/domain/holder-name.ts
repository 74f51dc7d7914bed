/**
 * A holder's name as keygen and onboarding use it: it names the key and certificate files and
 * the certificate's subject, so letters, digits, ".", "_" and "-" only, no spaces.
 */
export const HOLDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A holder name like the one given that is allowed: "Frank Moss" → "Frank-Moss". */
export function holderNameLike(given: string): string {
  const like = given
    .trim()
    .replace(/\s+/g, '-')
    .replace(/[^A-Za-z0-9._-]/g, '')
    .replace(/^[._-]+/, '')
    .slice(0, 64);
  return like || 'frank';
}
