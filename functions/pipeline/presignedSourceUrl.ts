import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { JobSource } from "./jobSpec";

/** Providers pull an hour after the step at the latest; a Lambda role's session rarely outlives that. */
const PRESIGNED_URL_SECONDS = 3600;

/**
 * The URL a provider can pull the job's source from: the URL itself, or a presigned GET of the S3 object,
 * of the version the job was started for when it has one. A presigned URL cannot carry If-Match (the
 * provider would have to send it): a source pinned by its ETag alone is checked by `checkS3Sources` first.
 */
export async function sourceUrlFor(s3: S3Client, source: JobSource): Promise<string> {
  if (source.url !== undefined) return source.url;
  const version = source.versionId === undefined ? {} : { VersionId: source.versionId };
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: source.bucket, Key: source.key, ...version }), {
    expiresIn: PRESIGNED_URL_SECONDS,
  });
}
