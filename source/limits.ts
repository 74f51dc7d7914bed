/**
 * Limits named on the command line (in --help) as well as in the code that enforces them.
 * Kept in a module with no imports so that registering the commands loads nothing else.
 */
export const MIN_HOLDERS = 3;
export const MAX_HOLDERS = 10;
export const MAX_INVENTORY_KEYS = 10_000;
