import {
  GetObjectCommand,
  type GetObjectCommandInput,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { ByteSource } from "../providers/core/ByteSource";

/**
 * Which content of an S3 object a job reads: the version, or else the ETag, of the upload that started it.
 * Without a pin, the ETag seen by the first HEAD is pinned, so a mid-read overwrite still fails loudly.
 */
export interface S3ObjectPin {
  versionId?: string | undefined;
  etag?: string | undefined;
}

/** What a job says of a source replaced after the upload that started it. */
export const SOURCE_CHANGED =
  "changed since the upload that started this job; the new upload starts its own job";

/** The object was replaced after the job was started for it. Terminal: a retry would read the new one. */
export class SourceChangedError extends Error {
  override readonly name = "SourceChangedError";
}

/** An S3 object as a ByteSource: one HEAD for its size, then one ranged GET per chunk read, all pinned. */
export async function s3ObjectSource(
  s3: S3Client,
  bucket: string,
  key: string,
  pin: S3ObjectPin = {},
): Promise<ByteSource> {
  const object = await openPinned(s3, bucket, key, pin);
  return {
    name: key.split("/").pop() ?? key,
    size: object.size,
    async read(start, endInclusive) {
      const answer = await object.get(`bytes=${start}-${endInclusive}`);
      if (!answer.Body)
        throw new Error(`s3://${bucket}/${key}: empty answer for bytes ${start}-${endInclusive}`);
      return answer.Body.transformToByteArray();
    },
  };
}

/** An S3 object opened for one pass from start to end, pinned like `s3ObjectSource`. */
export async function s3ObjectStream(
  s3: S3Client,
  bucket: string,
  key: string,
  pin: S3ObjectPin = {},
): Promise<{ size: number; body: ReadableStream<Uint8Array> }> {
  const object = await openPinned(s3, bucket, key, pin);
  const answer = await object.get();
  if (!answer.Body) throw new Error(`s3://${bucket}/${key}: empty answer`);
  return { size: object.size, body: answer.Body.transformToWebStream() };
}

/**
 * HEADs the pinned content and returns its size and a GET that reads only that content. A version id is
 * sent as such; an ETag goes as If-Match (S3 answers 412 for other content) and is also compared with
 * every answer's own ETag, for S3-compatible stores that ignore If-Match.
 */
async function openPinned(s3: S3Client, bucket: string, key: string, pin: S3ObjectPin) {
  const where = `s3://${bucket}/${key}`;
  const version = pin.versionId === undefined ? {} : { VersionId: pin.versionId };
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...version }));
  const etag = bare(pin.etag) ?? bare(head.ETag);
  assertSameContent(where, etag, head.ETag);
  return {
    size: head.ContentLength ?? 0,
    async get(range?: string) {
      const input: GetObjectCommandInput = {
        Bucket: bucket,
        Key: key,
        ...version,
        ...(etag === undefined ? {} : { IfMatch: `"${etag}"` }),
        ...(range === undefined ? {} : { Range: range }),
      };
      let answer: GetObjectCommandOutput;
      try {
        answer = await s3.send(new GetObjectCommand(input));
      } catch (error) {
        if ((error as { name?: string }).name === "PreconditionFailed") {
          throw new SourceChangedError(changedMessage(where), { cause: error });
        }
        throw error;
      }
      try {
        assertSameContent(where, etag, answer.ETag);
      } catch (error) {
        await answer.Body?.transformToWebStream().cancel();
        throw error;
      }
      return answer;
    },
  };
}

function assertSameContent(where: string, pinned: string | undefined, answered: string | undefined) {
  const actual = bare(answered);
  if (pinned !== undefined && actual !== undefined && actual !== pinned) {
    throw new SourceChangedError(`${changedMessage(where)} (ETag ${pinned}, now ${actual})`);
  }
}

function changedMessage(where: string): string {
  return `${where} ${SOURCE_CHANGED}`;
}

/** An ETag without the quotes S3 puts around it (events carry it bare, HEAD and GET quoted). */
function bare(etag: string | undefined): string | undefined {
  return etag === undefined || etag === "" ? undefined : etag.replace(/"/g, "");
}
