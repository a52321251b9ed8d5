import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { parseStrictJsonObject } from "../input/strictJson";
import { hashedName } from "../jobs/executionName";
import { JobConflictError } from "../jobs/JobConflictError";
import type { JobsDependencies } from "../jobs/JobsDependencies";
import { PROVIDERS, type Provider, parseJobSpec } from "../pipeline/jobSpec";
import { type FieldProblem, InvalidInputError } from "../providers/core/InvalidInputError";
import { RECORD_CAPS, redactRecord } from "../providers/core/redactRecord";
import { classifyInboxKey, INBOX_PREFIX, isVideoFile, REJECTION_SUFFIX, SIDECAR_SUFFIX } from "./uploadKeys";

/** An object that landed in the bucket, as its S3 event record names it (the key already decoded). */
export interface UploadedObject {
  bucket: string;
  key: string;
  versionId?: string;
  eTag?: string;
  sequencer?: string;
}

/** What an upload led to; the handler logs each as one line. */
export type UploadOutcome =
  | { outcome: "started" | "duplicate"; key: string; jobId: string }
  | { outcome: "ignored"; key: string; reason: string }
  | { outcome: "rejected"; key: string; jobId: string; rejection: string; problems: FieldProblem[] }
  | { outcome: "conflict"; key: string; jobId: string; reason: string };

/** Sidecars are a few hundred bytes; anything this big is not one. */
const MAX_SIDECAR_BYTES = 64 * 1024;

/**
 * Starts the job an upload under `inbox/` asks for. A video's job spec is its sidecar (`<file>.job.json`,
 * else `<stem>.job.json`) or, without one, the provider folder `inbox/<provider>/` with defaults. A sidecar
 * that lands after its video starts the video's job the same way, so either order works. The job id is the
 * execution name derived from the video's bucket, key and version (or ETag), so any number of deliveries,
 * by either path, start one execution. A bad sidecar is rejected in a `.errors.json` next to it, not retried.
 */
export async function startJobFromUpload(
  object: UploadedObject,
  dependencies: JobsDependencies,
): Promise<UploadOutcome[]> {
  const inbox = classifyInboxKey(object.key);
  if (inbox.kind === "ignored") return [{ outcome: "ignored", key: object.key, reason: inbox.reason }];
  if (inbox.kind === "video") return [await startVideoJob(object, dependencies)];
  const videos = await videosOfSidecar(dependencies.s3, object.bucket, inbox.directory, inbox.name);
  if (videos.length === 0) {
    return [
      {
        outcome: "ignored",
        key: object.key,
        reason: "no video next to this job spec yet: its upload will start the job",
      },
    ];
  }
  return Promise.all(videos.map((video) => startVideoJob(video, dependencies)));
}

/** The job id of an uploaded video: its file name for people, a hash of where and which version for machines. */
export function uploadJobId(object: UploadedObject): string {
  const file = object.key.slice(object.key.lastIndexOf("/") + 1);
  return hashedName(file.slice(0, file.lastIndexOf(".")), [object.bucket, object.key, identityOf(object)]);
}

async function startVideoJob(video: UploadedObject, dependencies: JobsDependencies): Promise<UploadOutcome> {
  const { s3, runs } = dependencies;
  const jobId = uploadJobId(video);
  const sidecar = await findSidecar(s3, video);
  const provider = providerFolderOf(video.key);
  if (!sidecar && !provider) {
    return {
      outcome: "ignored",
      key: video.key,
      reason: `no job spec: upload ${sidecarKeysOf(video.key)[1]} next to it, or put it under ${INBOX_PREFIX}<provider>/ (${PROVIDERS.join(", ")})`,
    };
  }
  let job: ReturnType<typeof parseJobSpec>;
  try {
    const spec = sidecar ? specOfSidecar(sidecar) : { provider };
    job = parseJobSpec(
      { ...spec, source: { bucket: video.bucket, key: video.key, ...versionOf(video) } },
      () => jobId,
    );
  } catch (error) {
    if (!(error instanceof InvalidInputError) || !sidecar) throw error;
    const rejection = await writeRejection(s3, video, sidecar.key, jobId, error);
    return { outcome: "rejected", key: video.key, jobId, rejection, problems: error.problems };
  }
  try {
    const { created } = await runs.start(jobId, job);
    return { outcome: created ? "started" : "duplicate", key: video.key, jobId };
  } catch (error) {
    if (!(error instanceof JobConflictError)) throw error;
    // Typically a sidecar that came after its video had already started with the folder's defaults.
    return {
      outcome: "conflict",
      key: video.key,
      jobId,
      reason: `job ${jobId} already runs with another spec`,
    };
  }
}

/** The sidecar's spec, without the fields the upload decides: those are input errors, not silently dropped. */
function specOfSidecar(sidecar: Sidecar): Record<string, unknown> {
  if ("size" in sidecar) {
    throw new InvalidInputError("job spec", [
      {
        field: "(root)",
        problem: `must be at most ${MAX_SIDECAR_BYTES} bytes`,
        value: `${sidecar.size} bytes`,
      },
    ]);
  }
  const spec = parseStrictJsonObject(sidecar.body, { what: "job spec", field: "(root)" });
  const decided = ["source", "sources", "jobId"].filter((field) => field in spec);
  if (decided.length > 0) {
    throw new InvalidInputError(
      "job spec",
      decided.map((field) => ({
        field,
        problem: "is decided by the upload (the video is the source, its upload names the job); leave it out",
        value: spec[field],
      })),
    );
  }
  return spec;
}

/** `inbox/<provider>/...` names the provider; only a known provider's folder does. */
function providerFolderOf(key: string): Provider | undefined {
  const [folder, ...rest] = key.slice(INBOX_PREFIX.length).split("/");
  return rest.length > 0 && (PROVIDERS as readonly string[]).includes(folder ?? "")
    ? (folder as Provider)
    : undefined;
}

/** Where a video's sidecar may be, in the order they are tried: `<file>.job.json`, then `<stem>.job.json`. */
function sidecarKeysOf(videoKey: string): [string, string] {
  return [`${videoKey}${SIDECAR_SUFFIX}`, `${videoKey.slice(0, videoKey.lastIndexOf("."))}${SIDECAR_SUFFIX}`];
}

async function findSidecar(s3: S3Client, video: UploadedObject): Promise<Sidecar | undefined> {
  for (const key of sidecarKeysOf(video.key)) {
    const read = await readSmallObject(s3, video.bucket, key);
    if (read !== undefined) return { key, ...read };
  }
  return undefined;
}

/** The videos a sidecar named `<name>.job.json` belongs to: `<name>` itself, or `<name>.<video suffix>`. */
async function videosOfSidecar(
  s3: S3Client,
  bucket: string,
  directory: string,
  name: string,
): Promise<UploadedObject[]> {
  if (isVideoFile(name)) {
    const video = await headObject(s3, bucket, `${directory}${name}`);
    return video ? [video] : [];
  }
  const prefix = `${directory}${name}.`;
  const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const keys = Contents.map((item) => item.Key ?? "").filter((key) => {
    const rest = key.slice(prefix.length);
    return !rest.includes("/") && !rest.slice(0, -1).includes(".") && isVideoFile(key);
  });
  const found = await Promise.all(keys.map((key) => headObject(s3, bucket, key)));
  return found.filter((video) => video !== undefined);
}

async function headObject(s3: S3Client, bucket: string, key: string): Promise<UploadedObject | undefined> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return {
      bucket,
      key,
      ...(head.VersionId ? { versionId: head.VersionId } : {}),
      ...(head.ETag ? { eTag: head.ETag.replace(/"/g, "") } : {}),
    };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** A sidecar as read: its bytes (decoded later, strictly), or only its size when too large to be a spec. */
type Sidecar = { key: string } & ({ body: Uint8Array } | { size: number });

async function readSmallObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ body: Uint8Array } | { size: number } | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const size = object.ContentLength ?? 0;
    if (size > MAX_SIDECAR_BYTES) {
      await object.Body?.transformToByteArray();
      return { size };
    }
    return { body: (await object.Body?.transformToByteArray()) ?? new Uint8Array(0) };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Writes why a sidecar was rejected next to it, where its author looks; the trigger ignores that file. */
async function writeRejection(
  s3: S3Client,
  video: UploadedObject,
  sidecarKey: string,
  jobId: string,
  error: InvalidInputError,
): Promise<string> {
  const key = `${sidecarKey.slice(0, -SIDECAR_SUFFIX.length)}${REJECTION_SUFFIX}`;
  const body = {
    jobId,
    video: video.key,
    sidecar: sidecarKey,
    rejectedAt: new Date().toISOString(),
    message: error.message,
    problems: error.problems,
  };
  await s3.send(
    new PutObjectCommand({
      Bucket: video.bucket,
      Key: key,
      Body: JSON.stringify(redactRecord(body, RECORD_CAPS), null, 2),
      ContentType: "application/json",
    }),
  );
  return key;
}

/** The version of the upload, for the job to read exactly it: a later upload of the same key starts its own job. */
function versionOf(object: UploadedObject): { versionId?: string; etag?: string } {
  return {
    ...(object.versionId && object.versionId !== "null" ? { versionId: object.versionId } : {}),
    ...(object.eTag ? { etag: object.eTag.replace(/"/g, "") } : {}),
  };
}

/** Which version of an object this is: its version id in a versioned bucket, else its content's ETag. */
function identityOf(object: UploadedObject): string {
  if (object.versionId && object.versionId !== "null") return `version:${object.versionId}`;
  if (object.eTag) return `etag:${object.eTag}`;
  return `sequencer:${object.sequencer ?? ""}`;
}

function isMissing(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === "NoSuchKey" || name === "NotFound";
}
