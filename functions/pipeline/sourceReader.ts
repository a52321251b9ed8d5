import type { S3Client } from "@aws-sdk/client-s3";
import type { ByteSource } from "../providers/core/ByteSource";
import { fileNameOf, type JobSource } from "./jobSpec";
import { type FetchUrl, outboundFetch } from "./outbound/outboundFetch";
import { unreachableSource } from "./outbound/UnreachableSourceError";
import { s3ObjectSource, s3ObjectStream } from "./s3ObjectSource";
import { urlSource } from "./urlSource";

/** A source opened for one sequential pass: its bytes as a stream, never all in memory. */
export interface SourceStream {
  name: string;
  size: number;
  body: ReadableStream<Uint8Array>;
}

/**
 * Reads a job's sources wherever they are: S3 objects through the SDK, URLs over HTTP. `field` names the
 * source's URL in errors (default `source.url`).
 */
export interface SourceReader {
  /** For reads by byte range (probing a container, chunked uploads). */
  byteSource(source: JobSource, field?: string): Promise<ByteSource>;
  /** For one pass from start to end (a streamed upload). */
  stream(source: JobSource, field?: string): Promise<SourceStream>;
}

/** The SourceReader of the pipeline's Lambdas: S3 through `s3`, URLs through the outbound-URL policy. */
export function sourceReader(s3: S3Client, fetchUrl: FetchUrl = outboundFetch): SourceReader {
  return {
    byteSource: (source, field = "source.url") =>
      source.url !== undefined
        ? urlSource(source.url, field, fetchUrl)
        : s3ObjectSource(s3, source.bucket as string, source.key as string, source),
    async stream(source, field = "source.url") {
      const name = fileNameOf(source) ?? "video";
      if (source.url !== undefined) {
        const response = await fetchUrl(source.url, { signal: AbortSignal.timeout(60_000), field });
        const size = Number(response.headers.get("content-length"));
        if (!response.ok || !response.body || !Number.isFinite(size) || size <= 0) {
          await response.body?.cancel();
          throw unreachableSource(
            field,
            source.url,
            new Error(`HTTP ${response.status} with no usable length`),
          );
        }
        return { name, size, body: response.body };
      }
      return { name, ...(await s3ObjectStream(s3, source.bucket as string, source.key as string, source)) };
    },
  };
}
