import {useEffect, useState} from 'react';
import {glyphs} from './glyphs.js';
import {useLayout} from './layout.js';
import {Text} from './text.js';
import {color} from './theme.js';

/**
 * Work under way: a turning glyph from the glyph table (| / - \ in ASCII) and what is being
 * done. For a screen reader the words alone, once: a redraw every 80 ms would be read out.
 *   ⠹ Opening the share of alice (holder 1)…
 */
export function Spinner({label}: {label: string}) {
  const {screenReader} = useLayout();
  const frames = glyphs().spinner;
  const [i, setI] = useState(0);
  useEffect(() => {
    if (screenReader) return;
    const timer = setInterval(() => setI((n) => (n + 1) % frames.length), 100);
    return () => clearInterval(timer);
  }, [screenReader, frames.length]);
  if (screenReader) return <Text>{`Working: ${label}`}</Text>;
  return (
    <Text>
      <Text color={color('accent')}>{frames[i % frames.length]}</Text> {label}
    </Text>
  );
}
