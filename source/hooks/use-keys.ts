import {useContext, useEffect, useId, useLayoutEffect, useRef} from 'react';
import {useInput} from 'ink';
import {InsideFrameContext, KeyRegistryContext} from '../components/key-registry.js';
import {bindingFor, type Binding, type KeyPress, type ShownKey} from '../components/keys.js';

/** Runs on its binding's keystroke (which it is handed: ↑ or ↓, the digit picked). */
export type KeyHandler = (input: string, key: KeyPress) => void;

/** A handler per binding honoured now; `false` or undefined: not now (and not on the footer). */
export type KeyHandlers = Partial<Record<Binding, KeyHandler | false | undefined>>;

/**
 * A component's keys, from the one key table (components/keys.ts): each keystroke runs the
 * handler of the binding it is, and the footer lists the same bindings — the handler's presence
 * is what puts a key on the footer. `names` renames a key on the footer ("1-4" for a list of 4).
 */
export function useKeys(
  handlers: KeyHandlers,
  {
    isActive = true,
    names = {},
  }: {isActive?: boolean; names?: Partial<Record<Binding, string>>} = {},
): void {
  const honoured = (Object.keys(handlers) as Binding[]).filter((b) => handlers[b]);
  useKeyHints(
    honoured.map((binding) => ({binding, ...(names[binding] ? {keys: names[binding]} : {})})),
    isActive,
  );
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });
  useInput(
    (input, key) => {
      const now = latest.current;
      const active = (Object.keys(now) as Binding[]).filter((b) => now[b]);
      const binding = bindingFor(active, input, key);
      const run = binding ? now[binding] : undefined;
      if (run) run(input, key);
    },
    {isActive},
  );
}

/**
 * Puts keys on the footer for a component that reads them another way (a text field takes
 * Enter through its own input handling). Only for keys that component really honours.
 * The keys are claimed while rendering, so the footer drawn in the same frame already has them
 * (see key-registry.ts).
 */
export function useKeyHints(shown: readonly ShownKey[], isActive = true): void {
  const registry = useContext(KeyRegistryContext);
  const inside = useContext(InsideFrameContext);
  const id = useId();
  const list = isActive ? shown : [];
  const key = JSON.stringify(list);
  if (registry && inside) registry.claim(id, list);
  else if (registry) registry.claimAbove(id, list);
  useLayoutEffect(() => {
    // A component that re-rendered on its own: the footer, not rendered with it, looks again.
    registry?.notify();
  }, [registry, key]);
  useLayoutEffect(() => {
    if (!registry) return;
    return () => registry.release(id);
  }, [registry, id]);
}
