import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { PacsError, isPacsError } from '@pacskit/dicom';
import { type BlobInput, type BlobStore, newBlobKey } from '../../ports/BlobStore.js';

const keyPattern = /^[0-9a-f-]{8,64}$/;
/** Multipart part size: S3 wants ≥ 5 MiB for every part but the last; bounds memory per upload. */
const partSize = 8 * 1024 * 1024;

export interface S3BlobStoreOptions {
  bucket: string;
  /** Key prefix inside the bucket (e.g. `archive1/`), default none. */
  prefix?: string;
  /** Passed to S3Client: endpoint, region, forcePathStyle, credentials. */
  client: S3ClientConfig;
}

/**
 * Blobs as objects in an S3-compatible store. S3 acknowledges a PUT (or the completion of a
 * multipart upload) only once the object is durably stored, so `create` resolves under the same
 * guarantee as FsBlobStore's fsyncs. Uploads stream in 8 MiB parts: a 200 MB instance never sits
 * in memory.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(options: S3BlobStoreOptions) {
    this.client = new S3Client(options.client);
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
  }

  private objectKey(key: string): string {
    if (!keyPattern.test(key)) throw new PacsError('INTERNAL', 'invalid blob key');
    return this.prefix + key;
  }

  preparedKey(): string {
    return newBlobKey();
  }

  localPath(): undefined {
    return undefined;
  }

  async create(key: string, input: BlobInput): Promise<void> {
    const objectKey = this.objectKey(key);
    const source: AsyncIterable<Uint8Array> | Iterable<Uint8Array> =
      'path' in input ? createReadStream(input.path) : 'bytes' in input ? [input.bytes] : input.stream;
    try {
      await this.upload(objectKey, source);
    } catch (error) {
      throw unavailable(error);
    }
    // As FsBlobStore's rename: the staged file is consumed once the blob is stored.
    if ('path' in input) await rm(input.path, { force: true });
  }

  private async upload(
    objectKey: string,
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ): Promise<void> {
    let uploadId: string | undefined;
    const parts: Array<{ ETag: string | undefined; PartNumber: number }> = [];
    let chunks: Buffer[] = [];
    let buffered = 0;
    const flushPart = async (): Promise<void> => {
      if (uploadId === undefined) {
        const created = await this.client.send(
          new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: objectKey }),
        );
        uploadId = created.UploadId;
      }
      const body = Buffer.concat(chunks, buffered);
      chunks = [];
      buffered = 0;
      const PartNumber = parts.length + 1;
      const part = await this.client.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: objectKey,
          UploadId: uploadId,
          PartNumber,
          Body: body,
        }),
      );
      parts.push({ ETag: part.ETag, PartNumber });
    };
    try {
      for await (const chunk of source) {
        chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        buffered += chunk.byteLength;
        if (buffered >= partSize) await flushPart();
      }
      if (uploadId === undefined) {
        // Small blob (the usual instance): one PUT.
        await this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: objectKey,
            Body: Buffer.concat(chunks, buffered),
          }),
        );
        return;
      }
      if (buffered > 0) await flushPart();
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: objectKey,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (error) {
      if (uploadId !== undefined) {
        await this.client
          .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: objectKey, UploadId: uploadId }))
          .catch(() => undefined);
      }
      throw error;
    }
  }

  async read(key: string): Promise<Readable> {
    const response = await this.get(key, undefined);
    return response as Readable;
  }

  async readRange(key: string, start: number, length: number): Promise<Buffer> {
    if (length === 0) return Buffer.alloc(0);
    const body = await this.get(key, `bytes=${start}-${start + length - 1}`);
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    if (bytes.length < length) throw new PacsError('INTERNAL', 'blob shorter than its index entry');
    return bytes.subarray(0, length);
  }

  private async get(key: string, range: string | undefined): Promise<unknown> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Range: range }),
      );
      return response.Body;
    } catch (error) {
      if (isPacsError(error)) throw error;
      if (errorName(error) === 'NoSuchKey' || statusOf(error) === 404)
        throw new PacsError('NOT_FOUND', 'blob not found', { cause: error });
      throw unavailable(error);
    }
  }

  async remove(key: string): Promise<void> {
    try {
      // DeleteObject of a missing key succeeds, like FsBlobStore's rm({ force: true }).
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      throw unavailable(error);
    }
  }

  async *keys(): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client
        .send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix || undefined,
            ContinuationToken: token,
          }),
        )
        .catch((error: unknown) => {
          throw unavailable(error);
        });
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(this.prefix.length);
        if (name !== undefined && keyPattern.test(name)) yield name;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /** Releases the HTTP agent's sockets. */
  close(): void {
    this.client.destroy();
  }
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string'
    ? error.name
    : undefined;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata = error.$metadata as { httpStatusCode?: number } | undefined;
  return metadata?.httpStatusCode;
}

function unavailable(error: unknown): unknown {
  if (isPacsError(error)) return error;
  return new PacsError('UNAVAILABLE', 'the object store is unavailable', { cause: error });
}
