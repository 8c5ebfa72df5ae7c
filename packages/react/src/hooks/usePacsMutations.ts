import type { PacsError } from '@pacskit/dicom';
import type { StoreResult } from '@pacskit/sdk';
import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { useCallback } from 'react';
import { usePacsClient } from '../provider/usePacs.js';
import { pacsQueryKeys } from './pacsQueryKeys.js';

/** STOW-RS upload; on success every study search and the target study are refetched. */
export function useStoreInstances(): UseMutationResult<
  StoreResult,
  PacsError,
  { instances: readonly Uint8Array[]; studyInstanceUID?: string }
> {
  const client = usePacsClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (variables) => client.storeInstances(variables),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: pacsQueryKeys.studies(client.id) }),
  });
}

/** Deletes a study; its cached queries are removed and searches refetched. */
export function useDeleteStudy(): UseMutationResult<void, PacsError, { studyInstanceUID: string }> {
  const client = usePacsClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (variables) => client.deleteStudy(variables),
    onSuccess: (_result, { studyInstanceUID }) => {
      queryClient.removeQueries({ queryKey: pacsQueryKeys.study(client.id, studyInstanceUID) });
      return queryClient.invalidateQueries({ queryKey: pacsQueryKeys.studies(client.id) });
    },
  });
}

/** A function that refetches every PACS query of this client (e.g. after an upload elsewhere). */
export function useInvalidatePacs(): () => Promise<void> {
  const client = usePacsClient();
  const queryClient = useQueryClient();
  return useCallback(
    () => queryClient.invalidateQueries({ queryKey: pacsQueryKeys.all(client.id) }),
    [client.id, queryClient],
  );
}
