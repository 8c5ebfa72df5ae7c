/**
 * Prometheus text exposition (version 0.0.4) of the few numbers an administrator watches:
 * instances stored, request latencies by route, bytes in and out. No dependency needed.
 */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

export class Metrics {
  instancesStored = 0;
  instancesFailed = 0;
  bytesIn = 0;
  bytesOut = 0;
  private readonly latencies = new Map<string, Histogram>();

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${route.replace(/"/g, '')}",status="${status}"`;
    let histogram = this.latencies.get(key);
    if (!histogram) {
      histogram = { buckets: latencyBuckets.map(() => 0), sum: 0, count: 0 };
      this.latencies.set(key, histogram);
    }
    latencyBuckets.forEach((bound, i) => {
      if (seconds <= bound) histogram.buckets[i] = (histogram.buckets[i] ?? 0) + 1;
    });
    histogram.sum += seconds;
    histogram.count++;
  }

  render(): string {
    const lines = [
      '# HELP pacskit_instances_stored_total Instances stored (STOW-RS and C-STORE).',
      '# TYPE pacskit_instances_stored_total counter',
      `pacskit_instances_stored_total ${this.instancesStored}`,
      '# HELP pacskit_instances_failed_total Instances refused or failed at ingest.',
      '# TYPE pacskit_instances_failed_total counter',
      `pacskit_instances_failed_total ${this.instancesFailed}`,
      '# HELP pacskit_http_request_bytes_total Request body bytes received.',
      '# TYPE pacskit_http_request_bytes_total counter',
      `pacskit_http_request_bytes_total ${this.bytesIn}`,
      '# HELP pacskit_http_response_bytes_total Response body bytes sent (when known).',
      '# TYPE pacskit_http_response_bytes_total counter',
      `pacskit_http_response_bytes_total ${this.bytesOut}`,
      '# HELP pacskit_http_request_duration_seconds HTTP request latency by route.',
      '# TYPE pacskit_http_request_duration_seconds histogram',
    ];
    for (const [labels, h] of this.latencies) {
      latencyBuckets.forEach((bound, i) => {
        lines.push(`pacskit_http_request_duration_seconds_bucket{${labels},le="${bound}"} ${h.buckets[i]}`);
      });
      lines.push(`pacskit_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
      lines.push(`pacskit_http_request_duration_seconds_sum{${labels}} ${h.sum}`);
      lines.push(`pacskit_http_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
