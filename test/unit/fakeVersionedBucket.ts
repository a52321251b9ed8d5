import { createHash } from "node:crypto";
import { GetObjectCommand, HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";

interface Version {
  versionId: string;
  bytes: Uint8Array;
  etag: string;
}

/** An S3 error as the SDK throws it: a name and the HTTP status in `$metadata`. */
export function s3Error(name: string, httpStatusCode: number) {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });
}

/**
 * A versioned S3 bucket in memory, for code that reads objects by range: HEAD and GET honour `VersionId`,
 * `Range` and `If-Match` as S3 does (412 PreconditionFailed, 404 NotFound / NoSuchKey / NoSuchVersion).
 * `ignoreIfMatch` makes it behave like an S3-compatible store that does not (s3rver), and `failNext`
 * makes the next calls fail as a faulty S3 would.
 */
export function fakeVersionedBucket() {
  const objects = new Map<string, Version[]>();
  const failures: Error[] = [];
  const state = { ignoreIfMatch: false, inFlight: 0, maxInFlight: 0 };
  let versions = 0;
  const mock = mockClient(S3Client);

  const find = (Key: string, VersionId: string | undefined, missing: string) => {
    const all = objects.get(Key) ?? [];
    const found = VersionId === undefined ? all.at(-1) : all.find((v) => v.versionId === VersionId);
    if (!found) throw s3Error(VersionId !== undefined && all.length > 0 ? "NoSuchVersion" : missing, 404);
    return found;
  };
  /** Counts overlapping calls, and lets other calls start before this one answers. */
  const answer = async <T>(work: () => T): Promise<T> => {
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    try {
      await new Promise((resolve) => setImmediate(resolve));
      const failure = failures.shift();
      if (failure) throw failure;
      return work();
    } finally {
      state.inFlight--;
    }
  };

  mock.on(HeadObjectCommand).callsFake(({ Key, VersionId }) =>
    answer(() => {
      const version = find(Key, VersionId, "NotFound");
      return { ContentLength: version.bytes.length, ETag: `"${version.etag}"`, VersionId: version.versionId };
    }),
  );
  mock.on(GetObjectCommand).callsFake(({ Key, VersionId, IfMatch, Range }) =>
    answer(() => {
      const version = find(Key, VersionId, "NoSuchKey");
      if (!state.ignoreIfMatch && IfMatch !== undefined && IfMatch.replace(/"/g, "") !== version.etag) {
        throw s3Error("PreconditionFailed", 412);
      }
      const [start, end] = (Range ?? `bytes=0-${version.bytes.length - 1}`)
        .replace("bytes=", "")
        .split("-")
        .map(Number) as [number, number];
      const chunk = version.bytes.subarray(start, Math.min(end, version.bytes.length - 1) + 1);
      return {
        ETag: `"${version.etag}"`,
        VersionId: version.versionId,
        ContentLength: chunk.length,
        Body: {
          transformToByteArray: async () => new Uint8Array(chunk),
          transformToWebStream: () => new Blob([new Uint8Array(chunk)]).stream(),
        },
      };
    }),
  );

  return {
    mock,
    state,
    s3: new S3Client({ region: "us-east-1" }),
    /** Stores new content under `key` as its latest version; returns that version's id and ETag. */
    put(key: string, bytes: Uint8Array): { versionId: string; etag: string } {
      const version = {
        versionId: `v${++versions}`,
        bytes,
        etag: createHash("md5").update(bytes).digest("hex"),
      };
      objects.set(key, [...(objects.get(key) ?? []), version]);
      return { versionId: version.versionId, etag: version.etag };
    },
    /** The next calls fail with these errors, in order. */
    failNext(...errors: Error[]) {
      failures.push(...errors);
    },
  };
}
