import { createHash } from "node:crypto";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";

function missing(name: "NoSuchKey" | "NotFound") {
  return Object.assign(new Error(name), { name });
}

/**
 * An S3 client whose bucket is a map in memory: GET, HEAD, LIST and PUT behave as S3 answers them (ETags
 * are the MD5 of the bytes), so code that reads and writes objects runs without a network.
 */
export function fakeBucket() {
  const objects = new Map<string, string | Uint8Array>();
  const etagOf = (body: string | Uint8Array) => createHash("md5").update(body).digest("hex");
  const mock = mockClient(S3Client);
  mock.on(GetObjectCommand).callsFake(async ({ Key }: { Key: string }) => {
    const body = objects.get(Key);
    if (body === undefined) throw missing("NoSuchKey");
    return {
      Body: {
        transformToString: async () => (typeof body === "string" ? body : new TextDecoder().decode(body)),
        transformToByteArray: async () => (typeof body === "string" ? new TextEncoder().encode(body) : body),
      },
      ContentLength: typeof body === "string" ? Buffer.byteLength(body) : body.length,
      ETag: `"${etagOf(body)}"`,
    };
  });
  mock.on(HeadObjectCommand).callsFake(async ({ Key }: { Key: string }) => {
    const body = objects.get(Key);
    if (body === undefined) throw missing("NotFound");
    return {
      ContentLength: typeof body === "string" ? Buffer.byteLength(body) : body.length,
      ETag: `"${etagOf(body)}"`,
    };
  });
  mock.on(ListObjectsV2Command).callsFake(async ({ Prefix }: { Prefix?: string }) => ({
    Contents: [...objects.keys()].filter((key) => key.startsWith(Prefix ?? "")).map((Key) => ({ Key })),
  }));
  mock.on(PutObjectCommand).callsFake(async ({ Key, Body }: { Key: string; Body: string | Uint8Array }) => {
    objects.set(Key, Body);
    return { ETag: `"${etagOf(Body)}"` };
  });
  return { objects, etagOf, mock, s3: new S3Client({ region: "us-east-1" }) };
}
