/**
 * The store's pins for the headless commands (verify, rotate), read without opening the store:
 * a machine with no store has none, and nothing is created. A store others can write is
 * refused (../store/permissions.ts).
 */
import {pinsFile, storeDirectory, storeExists} from '../store/location.js';
import {assertStoreTrusted} from '../store/permissions.js';
import type {DomainPin} from '../store/pins.js';

/**
 * The store's pins, read only, straight from their file (../store/pins-schema.ts): no store,
 * no pins, and nothing of the store loaded; zod's classic API is loaded only where there is one.
 */
export async function storePins(): Promise<DomainPin[]> {
  if (!storeExists()) return [];
  assertStoreTrusted(storeDirectory());
  const {readPins} = await import('../store/pins-schema.js');
  const read = readPins(pinsFile());
  if (read.problem) process.stderr.write(`sd-drill: warning: ${read.problem}\n`);
  return read.pins;
}
