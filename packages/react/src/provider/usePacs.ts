import type { CSSProperties } from 'react';
import { usePacsContext } from './pacsContext.js';
import type { PacsClient } from './pacsClient.js';
import type { PacsContextValue } from './pacsContext.js';

/** The PACS client handed to `PacsProvider`. */
export function usePacsClient(): PacsClient {
  return usePacsContext('usePacsClient').client;
}

/** Locale, messages and `t()` of the nearest `PacsProvider`. */
export function usePacsI18n(): Pick<PacsContextValue, 'locale' | 'messages' | 't'> {
  const { locale, messages, t } = usePacsContext('usePacsI18n');
  return { locale, messages, t };
}

/**
 * Props for a component's outermost element: the `pacs-scope` class the stylesheet hangs off,
 * `data-pacs-theme`, and the brand as CSS variables.
 */
export function usePacsScope(className?: string): {
  className: string;
  'data-pacs-theme': string;
  style: CSSProperties;
} {
  const { theme, brand } = usePacsContext('usePacsScope');
  const style: Record<string, string> = {};
  if (brand.primary) style['--pacs-primary'] = brand.primary;
  if (brand.primaryText) style['--pacs-primary-text'] = brand.primaryText;
  if (brand.focus) style['--pacs-focus'] = brand.focus;
  if (brand.radius) style['--pacs-radius'] = brand.radius;
  if (brand.font) style['--pacs-font'] = brand.font;
  return {
    className: className ? `pacs-scope ${className}` : 'pacs-scope',
    'data-pacs-theme': theme,
    style: style as CSSProperties,
  };
}
