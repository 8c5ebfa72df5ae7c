import { isValidUid, PacsError } from '@pacskit/dicom';
import type { BlobStore } from '../ports/BlobStore.js';
import type { Index, InstanceScope } from '../ports/Index.js';
import type { Principal } from '../security/Principal.js';

export interface DeleteOptions {
  principal: Principal;
  signal?: AbortSignal;
}

/**
 * Deletes a study, series or instance: the index rows go in one transaction first, then the
 * blobs. A crash in between leaves unreferenced blobs, which startup cleanup removes.
 */
export class DeleteService {
  constructor(
    private readonly index: Index,
    private readonly blobStore: BlobStore,
  ) {}

  async delete(scope: InstanceScope, options: DeleteOptions): Promise<{ deletedInstances: number }> {
    if (!options.principal.admin) throw new PacsError('FORBIDDEN', 'deleting needs the admin role');
    for (const uid of [scope.studyInstanceUID, scope.seriesInstanceUID, scope.sopInstanceUID]) {
      if (uid !== undefined && !isValidUid(uid)) throw new PacsError('INVALID_UID', 'invalid UID in the URL');
    }
    const removed = await this.index.deleteInstances(scope);
    if (removed.length === 0) throw new PacsError('NOT_FOUND', 'no such study, series or instance');
    await Promise.all(removed.map((record) => this.blobStore.remove(record.blobKey)));
    return { deletedInstances: removed.length };
  }
}
