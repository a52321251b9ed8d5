import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import {
  IMPORTS_PREFIX,
  importKeys,
  type ManifestFormat,
  manifestFormatOf,
  manifestIdOf,
} from "./manifestFiles";
import { moveObject } from "./s3Objects";

/** A manifest this run owns: moved out of `imports/`, so no later run sees it. */
export interface ClaimedManifest {
  manifestId: string;
  /** The file name as it was dropped, e.g. `catalog.csv`. */
  file: string;
  format: ManifestFormat;
  /** Where it now is: `imports/processing/<manifestId>/<file>`. */
  key: string;
}

/**
 * Claims up to `limit` manifests lying directly under `imports/` by moving each into `imports/processing/`.
 * The cap keeps one run's work bounded; what is left is claimed by the next scheduled run.
 */
export async function claimManifests(
  s3: S3Client,
  bucket: string,
  limit: number,
): Promise<ClaimedManifest[]> {
  const claimed: ClaimedManifest[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: IMPORTS_PREFIX,
        Delimiter: "/",
        ContinuationToken: token,
      }),
    );
    for (const object of page.Contents ?? []) {
      if (claimed.length >= limit) return claimed;
      const file = object.Key?.slice(IMPORTS_PREFIX.length) ?? "";
      const format = manifestFormatOf(file);
      if (format === undefined || object.Key === undefined) continue;
      const manifestId = manifestIdOf(file, object.ETag ?? "");
      const key = importKeys(manifestId, file).processing;
      await moveObject(s3, bucket, object.Key, key);
      claimed.push({ manifestId, file, format, key });
    }
    token = page.NextContinuationToken;
  } while (token !== undefined && claimed.length < limit);
  return claimed;
}
