import type { CircuitState } from './circuitBreaker.js';

/** Per-source health and statistics (`client.health()`). */
export interface SourceStatistics {
  sourceId: string;
  circuit: CircuitState;
  /** False while the circuit is open. */
  up: boolean;
  requests: number;
  failures: number;
  retries: number;
  /** Failures by PacsError code. */
  errorsByCode: Record<string, number>;
  /** Mean and 95th percentile of the last (up to 100) successful calls, in ms. */
  latencyMeanMs?: number;
  latencyP95Ms?: number;
  lastErrorCode?: string;
}

export interface StatisticsRecorder {
  success(latencyMs: number): void;
  failure(code: string): void;
  retry(): void;
  snapshot(circuit: CircuitState): SourceStatistics;
  readonly latencyMeanMs: number | undefined;
}

export function createStatisticsRecorder(sourceId: string, window = 100): StatisticsRecorder {
  const latencies: number[] = [];
  let requests = 0;
  let failures = 0;
  let retries = 0;
  let lastErrorCode: string | undefined;
  const errorsByCode: Record<string, number> = {};
  const mean = () =>
    latencies.length === 0
      ? undefined
      : latencies.reduce((total, value) => total + value, 0) / latencies.length;
  return {
    success(latencyMs) {
      requests++;
      latencies.push(latencyMs);
      if (latencies.length > window) latencies.shift();
    },
    failure(code) {
      requests++;
      failures++;
      lastErrorCode = code;
      errorsByCode[code] = (errorsByCode[code] ?? 0) + 1;
    },
    retry() {
      retries++;
    },
    get latencyMeanMs() {
      return mean();
    },
    snapshot(circuit) {
      const sorted = [...latencies].sort((a, b) => a - b);
      const p95 =
        sorted.length === 0
          ? undefined
          : sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
      const latencyMeanMs = mean();
      return {
        sourceId,
        circuit,
        up: circuit !== 'open',
        requests,
        failures,
        retries,
        errorsByCode: { ...errorsByCode },
        ...(latencyMeanMs === undefined ? {} : { latencyMeanMs }),
        ...(p95 === undefined ? {} : { latencyP95Ms: p95 }),
        ...(lastErrorCode === undefined ? {} : { lastErrorCode }),
      };
    },
  };
}
