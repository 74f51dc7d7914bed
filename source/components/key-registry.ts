import {createContext} from 'react';
import {BINDING_ORDER, type ShownKey} from './keys.js';

/**
 * The keys every mounted component honours right now, for the footer. Each `useKeys` (and each
 * field, for the Enter it takes) files its bindings under its own id while active and withdraws
 * them when it stops; the footer subscribes. No React in the data: the context only carries it.
 */
export class KeyRegistry {
  private readonly scopes = new Map<string, readonly ShownKey[]>();
  private readonly listeners = new Set<() => void>();
  private snapshot: readonly ShownKey[] = [];

  set(id: string, shown: readonly ShownKey[]): void {
    const before = this.scopes.get(id);
    if (before && same(before, shown)) return;
    if (shown.length === 0) {
      if (!before) return;
      this.scopes.delete(id);
    } else this.scopes.set(id, shown);
    this.refresh();
  }

  delete(id: string): void {
    if (this.scopes.delete(id)) this.refresh();
  }

  /** The bindings shown, in the table's order, each once (two components may both honour one). */
  readonly get = (): readonly ShownKey[] => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private refresh(): void {
    const all = [...this.scopes.values()].flat();
    const next = BINDING_ORDER.flatMap((b) => {
      const found = all.find((s) => s.binding === b);
      return found ? [found] : [];
    });
    if (same(next, this.snapshot)) return;
    this.snapshot = next;
    for (const l of this.listeners) l();
  }
}

function same(a: readonly ShownKey[], b: readonly ShownKey[]): boolean {
  return (
    a.length === b.length && a.every((s, i) => s.binding === b[i]?.binding && s.keys === b[i]?.keys)
  );
}

/** The registry of the frame around a screen; none outside one (keys then go unlisted). */
export const KeyRegistryContext = createContext<KeyRegistry | undefined>(undefined);
