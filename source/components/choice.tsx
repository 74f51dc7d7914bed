import {useCallback, useEffect, useMemo, useRef} from 'react';
import {Select} from '@inkjs/ui';

/**
 * @inkjs/ui's Select, made safe to re-render: Select calls `onChange` from an effect that
 * re-runs whenever the `onChange` or `options` identity changes, so an inline callback fires
 * again on every render after a choice (and a stick would be "inserted" in a loop). Here the
 * callback and the options keep their identity.
 */
export function Choice({
  options,
  onChoose,
  visibleOptionCount,
}: {
  options: Array<{label: string; value: string}>;
  onChoose: (value: string) => void;
  visibleOptionCount?: number;
}) {
  const latest = useRef(onChoose);
  useEffect(() => {
    latest.current = onChoose;
  });
  const onChange = useCallback((value: string) => latest.current(value), []);
  const key = JSON.stringify(options);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the options' content
  const stable = useMemo(() => options, [key]);
  return (
    <Select
      options={stable}
      onChange={onChange}
      {...(visibleOptionCount ? {visibleOptionCount} : {})}
    />
  );
}
