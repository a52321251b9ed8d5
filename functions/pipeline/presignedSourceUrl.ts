import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { JobSource } from "./jobSpec";

/** Providers pull an hour after the step at the latest; a Lambda role's session rarely outlives that. */
const PRESIGNED_URL_SECONDS = 3600;

/** The URL a provider can pull the job's source from: the URL itself, or a presigned GET of the S3 object. */
export async function sourceUrlFor(s3: S3Client, source: JobSource): Promise<string> {
  if (source.url !== undefined) return source.url;
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: source.bucket, Key: source.key }), {
    expiresIn: PRESIGNED_URL_SECONDS,
  });
}
