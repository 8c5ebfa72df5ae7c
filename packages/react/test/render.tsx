import { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { PacsProvider, type PacsProviderProps } from '../src/provider/PacsProvider.js';
import type { PacsClient } from '../src/provider/pacsClient.js';

/** Renders inside a PacsProvider with a fresh QueryClient that does not retry (errors show at once). */
export function renderWithPacs(
  ui: ReactElement,
  client: PacsClient,
  props: Partial<Omit<PacsProviderProps, 'client' | 'children'>> = {},
) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const result = render(
    <PacsProvider client={client} queryClient={queryClient} {...props}>
      {ui}
    </PacsProvider>,
  );
  return { ...result, queryClient };
}
