import { PacsError } from '@pacskit/dicom';
import { act, renderHook, waitFor } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { PacsProvider } from '../provider/PacsProvider.js';
import { createFixtureAdapter } from '../testing/createFixtureAdapter.js';
import { pacsQueryKeys } from './pacsQueryKeys.js';
import { toStudyQueryKeys } from './studySearchQuery.js';
import { useInstances } from './useInstances.js';
import { useDeleteStudy } from './usePacsMutations.js';
import { useSeries } from './useSeries.js';
import { useStudy } from './useStudy.js';
import { useStudySearch } from './useStudySearch.js';
import { useThumbnail } from './useThumbnail.js';

function wrapperFor(
  client: ReturnType<typeof createFixtureAdapter>,
  queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 60_000 } } }),
) {
  return {
    queryClient,
    wrapper: ({ children }: { children: ReactNode }) => (
      <PacsProvider client={client} queryClient={queryClient}>
        {children}
      </PacsProvider>
    ),
  };
}

const ctStudyUID = '1.3.6.1.4.1.5962.1.2.1.20040119072730.12322';

describe('toStudyQueryKeys', () => {
  it('turns names into prefix wildcards and dates into a PS3.4 range', () => {
    expect(
      toStudyQueryKeys({
        patientName: 'Doe',
        studyDateFrom: '20240101',
        studyDateTo: '20241231',
        modality: 'CT',
      }),
    ).toEqual({ PatientName: 'Doe*', StudyDate: '20240101-20241231', ModalitiesInStudy: 'CT' });
    expect(toStudyQueryKeys({ patientName: 'D?e*', studyDateTo: '20200101' })).toEqual({
      PatientName: 'D?e*',
      StudyDate: '-20200101',
    });
    expect(toStudyQueryKeys({ patientName: '  ', patientID: '' })).toEqual({});
  });
});

describe('hooks over the recorded fixture adapter', () => {
  it('useStudySearch finds the recorded CT study by modality and caches by query', async () => {
    const client = createFixtureAdapter();
    const { wrapper } = wrapperFor(client);
    const { result, rerender } = renderHook(({ modality }) => useStudySearch({ modality }), {
      wrapper,
      initialProps: { modality: 'CT' },
    });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data?.items.map((study) => study.StudyInstanceUID)).toEqual([ctStudyUID]);
    expect(result.current.data?.items[0]?.PatientName).toBe('CompressedSamples^CT1');
    const calls = client.callCount;
    rerender({ modality: 'MR' });
    await waitFor(() => expect(result.current.data?.items[0]?.ModalitiesInStudy).toEqual(['MR']));
    rerender({ modality: 'CT' });
    expect(result.current.data?.items[0]?.ModalitiesInStudy).toEqual(['CT']);
    expect(client.callCount).toBe(calls + 1);
  });

  it('useStudy fails with NOT_FOUND for an unknown UID', async () => {
    const { wrapper } = wrapperFor(createFixtureAdapter());
    const { result } = renderHook(() => useStudy('1.2.3.4'), { wrapper });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(PacsError);
    expect(result.current.error?.code).toBe('NOT_FOUND');
  });

  it('useSeries and useInstances walk the hierarchy of the recorded study', async () => {
    const { wrapper } = wrapperFor(createFixtureAdapter());
    const { result } = renderHook(
      () => {
        const series = useSeries(ctStudyUID);
        const first = series.data?.[0];
        return { series, instances: useInstances(first?.StudyInstanceUID, first?.SeriesInstanceUID) };
      },
      { wrapper },
    );
    await waitFor(() => expect(result.current.instances.isSuccess).toBe(true));
    expect(result.current.series.data?.[0]?.Modality).toBe('CT');
    expect(result.current.instances.data?.[0]?.Rows).toBe(128);
  });

  it('useThumbnail returns a PNG data URL', async () => {
    const { wrapper } = wrapperFor(createFixtureAdapter());
    const { result } = renderHook(() => useThumbnail({ studyInstanceUID: ctStudyUID }), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(result.current.data).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  });

  it('errors keep their PacsError code', async () => {
    const { wrapper } = wrapperFor(createFixtureAdapter({ mode: 'error', errorCode: 'FORBIDDEN' }));
    const { result } = renderHook(() => useStudySearch({}), { wrapper });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error?.code).toBe('FORBIDDEN');
  });

  it('useDeleteStudy invalidates searches so the deleted study disappears', async () => {
    const client = createFixtureAdapter();
    const { wrapper, queryClient } = wrapperFor(client);
    const { result } = renderHook(() => ({ search: useStudySearch({}), remove: useDeleteStudy() }), {
      wrapper,
    });
    await waitFor(() => expect(result.current.search.data?.items).toHaveLength(2));
    await act(() => result.current.remove.mutateAsync({ studyInstanceUID: ctStudyUID }));
    await waitFor(() => expect(result.current.search.data?.items).toHaveLength(1));
    expect(queryClient.getQueryData(pacsQueryKeys.study(client.id, ctStudyUID))).toBeUndefined();
  });

  it('a hook outside PacsProvider names the provider it needs', () => {
    expect(() => renderHook(() => useStudySearch({}))).toThrow(
      '`usePacsClient` must be used within `PacsProvider`',
    );
  });
});
