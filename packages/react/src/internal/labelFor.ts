import type { MessageKey, Messages } from '../i18n/messagesEn.js';
import type { Translate } from '../i18n/translate.js';

/** A translated label for a backend value (`status.in_progress`), or the value itself when unknown. */
export function labelFor(
  t: Translate,
  messages: Messages,
  prefix: string,
  value: string | undefined,
): string {
  if (!value) return '';
  const key = `${prefix}.${value.replace('-', '_')}`;
  return key in messages ? t(key as MessageKey) : value;
}
