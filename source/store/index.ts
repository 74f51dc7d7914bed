/** The sd-drill store: history, holder registry, custody log, settings. */
export {openStore, type Store, type StoreOptions} from './store.js';
export {
  DEFAULT_SETTINGS,
  normaliseFingerprint,
  type CustodyEntry,
  type CustodyInput,
  type DrillRecord,
  type RegistryEntry,
  type RegistryInput,
  type Settings,
} from './schema.js';
export {drillsOfDomain, reviewSentence, reviewStatus} from './history.js';
