import {createContext} from 'react';
import {BINDING_ORDER, type ShownKey} from './keys.js';

/**
 * The keys every mounted component honours right now, for the footer. No React in the data:
 * the context only carries it.
 *
 * Why it is filled while rendering, not from an effect: Ink draws a frame as soon as React
 * commits, before any effect runs. A footer filed by effects would show the last screen's keys
 * (or none) on every new screen's first frame — long enough to be read, and to be captured.
 * So each component claims its keys as it renders (use-keys.ts), and the footer, rendered after
 * the screen in the same pass (AppFrame), reads them then. A new screen starts a new pass
 * (AppFrame's children change, and everything inside renders again): what a component that is
 * going away claimed in an older pass no longer counts. A component that re-renders on its own
 * re-claims in the current pass and tells the footer after it commits.
 *
 * Components above the frame (the app's Ctrl-C) render before it, and not again with each
 * screen: their keys are `outer` entries, claimed as they render, that last until withdrawn.
 */
export class KeyRegistry {
  private readonly inner = new Map<string, {shown: readonly ShownKey[]; pass: number}>();
  private readonly outer = new Map<string, readonly ShownKey[]>();
  private readonly listeners = new Set<() => void>();
  private pass = 0;
  private screen: unknown;
  private step: unknown;
  private snapshot: readonly ShownKey[] = [];

  /**
   * The frame renders `screen`: when it is a new one, keys claimed before it stop counting.
   * Returns whether it is new (its keys are not known until it has rendered).
   */
  rendering(screen: unknown): boolean {
    if (screen === this.screen) return false;
    this.screen = screen;
    this.pass++;
    return true;
  }

  /**
   * The frame renders step `step`: whether it is another step than last time (its keys are not
   * known until it has rendered; the same step's usually are the ones it had).
   */
  steppingTo(step: unknown): boolean {
    if (step === this.step) return false;
    this.step = step;
    return true;
  }

  /** While rendering: these are the keys component `id` honours. */
  claim(id: string, shown: readonly ShownKey[]): void {
    this.inner.set(id, {shown, pass: this.pass});
  }

  /** While rendering, for a component above the frame: its keys count until it says otherwise. */
  claimAbove(id: string, shown: readonly ShownKey[]): void {
    if (shown.length === 0) this.outer.delete(id);
    else this.outer.set(id, shown);
  }

  /** The component is gone. */
  release(id: string): void {
    const had = this.inner.delete(id) || this.outer.delete(id);
    if (had) this.notify();
  }

  /** The bindings shown, in the table's order, each once (two components may both honour one). */
  readonly get = (): readonly ShownKey[] => {
    const all = [
      ...[...this.outer.values()].flat(),
      ...[...this.inner.values()].filter((e) => e.pass === this.pass).flatMap((e) => e.shown),
    ];
    const next = BINDING_ORDER.flatMap((b) => {
      const found = all.find((s) => s.binding === b);
      return found ? [found] : [];
    });
    if (!same(next, this.snapshot)) this.snapshot = next;
    return this.snapshot;
  };

  /** After a commit: whoever shows the keys looks again (nothing happens if they are the same). */
  readonly notify = (): void => {
    for (const l of this.listeners) l();
  };

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

function same(a: readonly ShownKey[], b: readonly ShownKey[]): boolean {
  return (
    a.length === b.length && a.every((s, i) => s.binding === b[i]?.binding && s.keys === b[i]?.keys)
  );
}

/** The registry of the frame around a screen; none outside one (keys then go unlisted). */
export const KeyRegistryContext = createContext<KeyRegistry | undefined>(undefined);

/** Whether a component renders inside the frame (claims in render) or above it (files). */
export const InsideFrameContext = createContext(false);
