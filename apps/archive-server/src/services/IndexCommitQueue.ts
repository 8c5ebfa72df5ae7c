import type { PacsError } from '@pacskit/dicom';
import type { Index, InstanceRecord, PutInstanceResult } from '../ports/Index.js';

type Result = PutInstanceResult | { error: PacsError };

interface Waiting {
  records: InstanceRecord[];
  resolve: (results: Result[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit across concurrent requests: records queued while the event loop is busy are
 * written in one index transaction (one durable commit) on the next turn. Each caller still
 * resolves only after the transaction holding its records has committed.
 */
export class IndexCommitQueue {
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(
    private readonly index: Index,
    private readonly replace: boolean,
  ) {}

  put(records: InstanceRecord[]): Promise<Result[]> {
    if (records.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ records, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate lets pending I/O callbacks (other requests' fsyncs) queue their records first.
        setImmediate(() => void this.run());
      }
    });
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    const group = this.waiting;
    this.waiting = [];
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
