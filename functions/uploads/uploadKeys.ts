/** Where uploads that start jobs land. */
export const INBOX_PREFIX = "inbox/";

/** The end of a job spec's file name, next to its video: `<file>.job.json` or `<stem>.job.json`. */
export const SIDECAR_SUFFIX = ".job.json";

/** The end of the file that explains why a sidecar was rejected, written next to it. */
export const REJECTION_SUFFIX = ".errors.json";

/** Containers the providers take, compared without regard to case (`.MOV` is a camera's `.mov`). */
const VIDEO_SUFFIXES = [
  ".mp4",
  ".m4v",
  ".mov",
  ".mkv",
  ".webm",
  ".avi",
  ".mxf",
  ".ts",
  ".mts",
  ".m2ts",
  ".mpg",
  ".mpeg",
  ".wmv",
  ".flv",
  ".3gp",
  ".ogv",
];

/** What an object under the inbox is to the upload trigger. */
export type InboxObject =
  | { kind: "video"; key: string; directory: string; file: string; stem: string }
  | { kind: "sidecar"; key: string; directory: string; name: string }
  | { kind: "ignored"; key: string; reason: string };

/** An object key as S3 event records carry it: URL-encoded, with `+` for a space. */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, " "));
}

/** Whether a file name ends in a video container's suffix, in any case. */
export function isVideoFile(file: string): boolean {
  const lower = file.toLowerCase();
  return VIDEO_SUFFIXES.some((suffix) => lower.endsWith(suffix) && lower.length > suffix.length);
}

/** Sorts an object key into a video, a job spec sidecar, or something the trigger leaves alone (and why). */
export function classifyInboxKey(key: string): InboxObject {
  if (!key.startsWith(INBOX_PREFIX)) return { kind: "ignored", key, reason: `not under ${INBOX_PREFIX}` };
  const slash = key.lastIndexOf("/");
  const directory = key.slice(0, slash + 1);
  const file = key.slice(slash + 1);
  if (file === "") return { kind: "ignored", key, reason: "a folder, not a file" };
  if (file.toLowerCase().endsWith(SIDECAR_SUFFIX) && file.length > SIDECAR_SUFFIX.length) {
    return { kind: "sidecar", key, directory, name: file.slice(0, -SIDECAR_SUFFIX.length) };
  }
  if (isVideoFile(file)) {
    const dot = file.lastIndexOf(".");
    return { kind: "video", key, directory, file, stem: file.slice(0, dot) };
  }
  return {
    kind: "ignored",
    key,
    reason: `neither a video (${VIDEO_SUFFIXES.join(" ")}) nor a job spec (*${SIDECAR_SUFFIX})`,
  };
}
