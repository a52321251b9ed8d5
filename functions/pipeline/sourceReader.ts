import type { S3Client } from "@aws-sdk/client-s3";
import type { ByteSource } from "../providers/core/ByteSource";
import { fileNameOf, type JobSource } from "./jobSpec";
import { s3ObjectSource, s3ObjectStream } from "./s3ObjectSource";
import { UnreachableSourceError, urlSource } from "./urlSource";

/** A source opened for one sequential pass: its bytes as a stream, never all in memory. */
export interface SourceStream {
  name: string;
  size: number;
  body: ReadableStream<Uint8Array>;
}

/** Reads a job's sources wherever they are: S3 objects through the SDK, URLs over HTTP. */
export interface SourceReader {
  /** For reads by byte range (probing a container, chunked uploads). */
  byteSource(source: JobSource): Promise<ByteSource>;
  /** For one pass from start to end (a streamed upload). */
  stream(source: JobSource): Promise<SourceStream>;
}

/** The SourceReader of the pipeline's Lambdas: S3 through `s3`, URLs through `fetch`. */
export function sourceReader(s3: S3Client, fetchImpl: typeof fetch = fetch): SourceReader {
  return {
    byteSource: (source) =>
      source.url !== undefined
        ? urlSource(source.url, fetchImpl)
        : s3ObjectSource(s3, source.bucket as string, source.key as string, source),
    async stream(source) {
      const name = fileNameOf(source) ?? "video";
      if (source.url !== undefined) {
        const response = await fetchImpl(source.url, { signal: AbortSignal.timeout(60_000) });
        const size = Number(response.headers.get("content-length"));
        if (!response.ok || !response.body || !Number.isFinite(size) || size <= 0) {
          await response.body?.cancel();
          throw new UnreachableSourceError(`${name}: HTTP ${response.status} with no usable length`);
        }
        return { name, size, body: response.body };
      }
      return { name, ...(await s3ObjectStream(s3, source.bucket as string, source.key as string, source)) };
    },
  };
}
