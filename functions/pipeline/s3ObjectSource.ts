import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { ByteSource } from "../providers/core/ByteSource";

/** An S3 object as a ByteSource: one HEAD for its size, then one ranged GET per chunk read. */
export async function s3ObjectSource(s3: S3Client, bucket: string, key: string): Promise<ByteSource> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const size = head.ContentLength ?? 0;
  // Pinning the ETag makes a mid-upload overwrite fail loudly instead of splicing two files together.
  const etag = head.ETag;
  return {
    name: key.split("/").pop() ?? key,
    size,
    async read(start, endInclusive) {
      const object = await s3.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          Range: `bytes=${start}-${endInclusive}`,
          IfMatch: etag,
        }),
      );
      if (!object.Body)
        throw new Error(`s3://${bucket}/${key}: empty answer for bytes ${start}-${endInclusive}`);
      return object.Body.transformToByteArray();
    },
  };
}
