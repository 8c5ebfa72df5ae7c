import type { PacsError } from '@pacskit/dicom';
import type { Index, InstanceRecord, PutInstanceResult } from '../ports/Index.js';

type Result = PutInstanceResult | { error: PacsError };

interface Waiting {
  records: InstanceRecord[];
  resolve: (results: Result[]) => void;
  reject: (error: unknown) => void;
}

/** A promise of records to come: the next commit waits for them (a little). */
export interface CommitReservation {
  put(records: InstanceRecord[]): Promise<Result[]>;
  /** Nothing will come (every instance of the group failed before the index). */
  cancel(): void;
}

/**
 * How long a commit with records ready may wait for reserved ones. A durable commit costs one
 * fsync on the event loop; a group whose blobs finish a moment after another's shares it instead.
 */
const maxWaitMs = 4;

/**
 * Group commit across concurrent requests: the records of every group are written in one index
 * transaction (one durable commit) with those of the groups that reserved a place while their
 * blobs were being written, or that arrive before the next turn of the event loop. Each caller
 * still resolves only after the transaction holding its records has committed.
 */
export class IndexCommitQueue {
  private waiting: Waiting[] = [];
  private reserved = 0;
  private immediate: NodeJS.Immediate | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly index: Index,
    private readonly replace: boolean,
  ) {}

  /** Announces records that will be put soon, so the commit before them can wait and share. */
  reserve(): CommitReservation {
    this.reserved++;
    let done = false;
    const release = () => {
      if (done) return false;
      done = true;
      this.reserved--;
      return true;
    };
    return {
      put: (records) => {
        release();
        return this.put(records);
      },
      cancel: () => {
        if (release()) this.schedule();
      },
    };
  }

  put(records: InstanceRecord[]): Promise<Result[]> {
    if (records.length === 0) {
      this.schedule();
      return Promise.resolve([]);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.waiting.length === 0 || this.immediate) return;
    // setImmediate lets pending I/O callbacks (other requests' blob writes) queue their records first.
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      if (this.reserved === 0) {
        void this.run();
      } else {
        this.timer ??= setTimeout(() => void this.run(), maxWaitMs);
      }
    });
  }

  private async run(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const group = this.waiting;
    this.waiting = [];
    if (group.length === 0) return;
    try {
      const results = await this.index.putInstances(
        group.flatMap((w) => w.records),
        { replace: this.replace },
      );
      let offset = 0;
      for (const w of group) {
        w.resolve(results.slice(offset, offset + w.records.length));
        offset += w.records.length;
      }
    } catch (error) {
      for (const w of group) w.reject(error);
    }
  }
}
