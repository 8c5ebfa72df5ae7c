/** Query/retrieve latency summaries for the analytics (issue 5), kept in memory per process. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export type LatencyKind = 'query' | 'retrieve';

/** A bounded reservoir per kind (the last `capacity` observations) summarised on demand. */
export function createLatencyRecorder(capacity = 2048) {
  const samples: Record<LatencyKind, number[]> = { query: [], retrieve: [] };
  const totals: Record<LatencyKind, number> = { query: 0, retrieve: 0 };
  return {
    record(kind: LatencyKind, ms: number): void {
      if (!Number.isFinite(ms) || ms < 0) return;
      const list = samples[kind];
      list.push(ms);
      if (list.length > capacity) list.shift();
      totals[kind]++;
    },
    summary(kind: LatencyKind): LatencySummary {
      const sorted = [...samples[kind]].sort((x, y) => x - y);
      const at = (q: number) =>
        sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0;
      return { count: totals[kind], p50Ms: at(0.5), p95Ms: at(0.95), maxMs: sorted.at(-1) ?? 0 };
    },
  };
}

export type LatencyRecorder = ReturnType<typeof createLatencyRecorder>;
