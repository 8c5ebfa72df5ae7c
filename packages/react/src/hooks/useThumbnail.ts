import type { PacsError } from '@pacskit/dicom';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { toDataUrl } from '../internal/toDataUrl.js';
import { usePacsClient } from '../provider/usePacs.js';
import { pacsQueryKeys } from './pacsQueryKeys.js';

export interface ThumbnailTarget {
  studyInstanceUID: string;
  seriesInstanceUID?: string;
  sopInstanceUID?: string;
}

/**
 * A thumbnail as a `data:` URL ready for `<img src>`. Stored images never change, so it is never
 * refetched while cached; nothing is fetched when the adapter lacks the `retrieveThumbnail` capability.
 */
export function useThumbnail(target: ThumbnailTarget | undefined): UseQueryResult<string, PacsError> {
  const client = usePacsClient();
  return useQuery({
    queryKey: pacsQueryKeys.thumbnail(client.id, target ?? { studyInstanceUID: '' }),
    queryFn: async ({ signal }) => {
      const image = await client.retrieveThumbnail({
        ...target!,
        viewport: { width: 128, height: 128 },
        signal,
      });
      return toDataUrl(image.contentType, image.data);
    },
    enabled: Boolean(target?.studyInstanceUID) && client.capabilities.retrieveThumbnail,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
