import {Children, cloneElement, isValidElement, type ReactElement, type ReactNode} from 'react';
import {Text as InkText} from 'ink';
import {plainText} from './glyphs.js';

type Props = React.ComponentProps<typeof InkText>;

function plain(node: ReactNode): ReactNode {
  if (typeof node === 'string') return plainText(node);
  if (Array.isArray(node)) return Children.map(node, plain);
  // A nested Ink <Text> (not ours) gets the same treatment of its own strings.
  if (isValidElement<{children?: ReactNode}>(node) && node.type === InkText)
    return cloneElement(
      node as ReactElement<{children?: ReactNode}>,
      {},
      plain(node.props.children),
    );
  return node;
}

/**
 * Ink's Text, with its words spelled for the terminal in front of us: in ASCII mode (the Linux
 * console, TERM=dumb, a non-UTF-8 locale, --ascii) dashes, ellipses, quotes and arrows become
 * -, ..., ', ->, before Ink measures and wraps the line (so a line never grows past the width
 * after layout). Screens use this Text, never Ink's, so no sentence escapes the rule.
 */
export function Text({children, 'aria-label': ariaLabel, ...props}: Props) {
  return (
    <InkText {...props} {...(ariaLabel === undefined ? {} : {'aria-label': plainText(ariaLabel)})}>
      {plain(children)}
    </InkText>
  );
}
