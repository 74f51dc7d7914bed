/**
 * The names that mark sd-drill's remote-holder files, in a module with no dependencies: the
 * stick scanner recognises a contribution by how it begins without loading the crypto.
 */
export const REQUEST_FORMAT = 'sd-drill.remote-request/1';
export const CONTRIBUTION_FORMAT = 'sd-drill.remote-contribution/1';
/** How a contribution file begins (canonical JSON sorts `contribution` first). */
export const CONTRIBUTION_HEAD = `{"contribution":"${CONTRIBUTION_FORMAT}"`;
/** The one HPKE suite requests name and contributions use (RFC 9180 base mode). */
export const HPKE_SUITE = 'DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM';
