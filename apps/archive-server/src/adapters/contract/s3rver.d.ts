// Minimal typings for s3rver 3.7 (it ships none): only what the contract runners use.
declare module 's3rver' {
  interface S3rverOptions {
    address?: string;
    port?: number;
    directory: string;
    silent?: boolean;
    configureBuckets?: Array<{ name: string }>;
  }
  // biome-ignore lint/style/noDefaultExport: describes s3rver's own (default) export.
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  }
}
