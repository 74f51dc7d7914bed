/**
 * Secrets live in Buffers that are zeroed when done. These helpers keep that habit short.
 * Node may have copied the bytes elsewhere (OpenSSL, V8 strings from third-party APIs); we
 * zero what we own and keep the lifetime of anything else as short as we can.
 */
export function wipe(...buffers: Array<Buffer | Uint8Array | undefined | null>): void {
  for (const b of buffers) if (b) b.fill(0);
}

/** Runs `fn` with a secret and wipes it afterwards, whatever happens. */
export async function withSecret<T>(secret: Buffer, fn: (s: Buffer) => Promise<T> | T): Promise<T> {
  try {
    return await fn(secret);
  } finally {
    wipe(secret);
  }
}
