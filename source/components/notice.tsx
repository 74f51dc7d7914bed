import {StatusMessage} from '@inkjs/ui';
import {Text} from 'ink';
import {noColor} from './theme.js';

const VARIANT = {info: 'info', warning: 'warning', error: 'error'} as const;

/** An inline message about the last thing that happened (a refusal, a reminder). */
export function Notice({notice}: {notice?: {level: 'info' | 'warning' | 'error'; text: string}}) {
  if (!notice) return null;
  if (noColor()) {
    const tag = notice.level === 'info' ? 'i' : notice.level === 'warning' ? '!' : '✗';
    return <Text wrap="wrap">{`${tag} ${notice.text}`}</Text>;
  }
  return <StatusMessage variant={VARIANT[notice.level]}>{notice.text}</StatusMessage>;
}
