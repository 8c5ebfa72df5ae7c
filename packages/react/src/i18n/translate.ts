import { messagesEn } from './messagesEn.js';
import type { MessageKey, Messages } from './messagesEn.js';
import { messagesFr } from './messagesFr.js';

/** Built-in catalogues by BCP 47 primary language subtag. */
export const builtInMessages: Record<string, Messages> = { en: messagesEn, fr: messagesFr };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** The catalogue for a locale ("fr-CA" → French), with the host's overrides on top; English otherwise. */
export function resolveMessages(locale: string, overrides?: Partial<Messages>): Messages {
  const language = locale.toLowerCase().split('-')[0] ?? 'en';
  return { ...(builtInMessages[language] ?? messagesEn), ...overrides };
}

export function createTranslate(messages: Messages): Translate {
  return (key, values) => {
    const template = messages[key] ?? key;
    if (!values) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in values ? String(values[name]) : whole,
    );
  };
}
