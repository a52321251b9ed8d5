import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";

/** An object's body as it streams in, for reading line by line without holding the whole object. */
export async function* objectChunks(s3: S3Client, bucket: string, key: string): AsyncGenerator<Uint8Array> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (Body === undefined) return;
  // In Node.js the SDK's body is a Readable: async-iterable in chunks.
  yield* Body as unknown as AsyncIterable<Uint8Array>;
}

/** An object's chunks, or none when the object does not exist. */
export async function* objectChunksIfAny(s3: S3Client, bucket: string, key: string) {
  try {
    yield* objectChunks(s3, bucket, key);
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return;
    throw error;
  }
}

/** A small JSON object (a manifest of results, a summary), read whole. */
export async function readJsonObject(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await Body?.transformToString("utf-8")) ?? "null");
}

/** Writes a small JSON object. */
export async function writeJsonObject(s3: S3Client, bucket: string, key: string, value: unknown) {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: `${JSON.stringify(value, null, 2)}\n`,
      ContentType: "application/json",
    }),
  );
}

/** Moves an object inside a bucket: a copy, then the delete (S3 has no rename). */
export async function moveObject(s3: S3Client, bucket: string, from: string, to: string): Promise<void> {
  const source = `${bucket}/${from.split("/").map(encodeURIComponent).join("/")}`;
  await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: source }));
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: from }));
}
