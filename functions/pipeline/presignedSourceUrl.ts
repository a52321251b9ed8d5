import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { JobSource } from "./jobSpec";
import { vetOutboundUrl } from "./outbound/vetOutboundUrl";

/** Providers pull an hour after the step at the latest; a Lambda role's session rarely outlives that. */
const PRESIGNED_URL_SECONDS = 3600;

/**
 * The URL a provider can pull the job's source from: the user's URL once the outbound policy has resolved
 * and checked it (`field` names it in the error), or a presigned GET of the S3 object (ours: not checked),
 * of the version the job was started for when it has one. A presigned URL cannot carry If-Match (the
 * provider would have to send it): a source pinned by its ETag alone is checked by `checkS3Sources` first.
 */
export async function sourceUrlFor(s3: S3Client, source: JobSource, field = "source.url"): Promise<string> {
  if (source.url !== undefined) {
    await vetOutboundUrl(source.url, field);
    return source.url;
  }
  const version = source.versionId === undefined ? {} : { VersionId: source.versionId };
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: source.bucket, Key: source.key, ...version }), {
    expiresIn: PRESIGNED_URL_SECONDS,
  });
}
