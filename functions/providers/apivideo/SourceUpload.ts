/**
 * api.video's upload protocol, as the simulator keeps it: `POST /videos/{id}/source` with one file part,
 * either whole (at most 200 MiB) or in chunks of 5-128 MiB (the last may be smaller) that say where they
 * belong with `Content-Range: bytes a-b/total` or `part n/N` (`part n/*` while the total is unknown). The
 * two chunk forms cannot be mixed in one upload. The file itself is not kept: only its SHA-256 and ranges.
 */
import { createHash, type Hash } from "node:crypto";
import { readMultipart } from "../core/simulator/multipart";
import type { SimulatorRequest, SimulatorResponse } from "../core/simulator/SimulatorServer";
import { MAX_CHUNK_BYTES, MAX_PLAIN_UPLOAD_BYTES, MIN_CHUNK_BYTES } from "./schemas";
import { problem } from "./simulatorProblems";

/** One byte range received by a chunked upload, as `ingest.receivedBytes` lists it. */
export interface ReceivedRange {
  from: number;
  to: number;
  total: number;
}

/** How the file came: whole, or in chunks placed by byte range or by part number. */
export type UploadMode = "bytes" | "part" | "plain";

/** One video's upload so far. */
export interface UploadState {
  mode: UploadMode;
  total: number | undefined;
  nextOffset: number;
  lastPart: number;
  hash: Hash;
  chunks: ReceivedRange[];
  complete: boolean;
  sha256: string | undefined;
}

/**
 * What one upload request did: a problem to answer with, or the upload as it now stands, whether the request
 * added bytes to it, and whether it completed it just now.
 */
export type UploadStep =
  | { problem: SimulatorResponse }
  | { upload: UploadState; added: boolean; finished: boolean };

/** Applies one `POST /videos/{id}/source` to the video's upload so far (`undefined` before the first). */
export function receiveUpload(upload: UploadState | undefined, request: SimulatorRequest): UploadStep {
  const file = readSingleFile(request);
  if (typeof file === "string")
    return { problem: problem(400, "invalid-attribute", file, undefined, "file") };
  const range = request.headers["content-range"];
  if (range === undefined) return plainUpload(upload, file);
  const bytes = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range.trim());
  if (bytes) return bytesChunk(upload, file, Number(bytes[1]), Number(bytes[2]), Number(bytes[3]));
  const part = /^part (\d+)\/(\d+|\*)$/.exec(range.trim());
  if (part) {
    const of = part[2] === "*" ? undefined : Number(part[2]);
    return partChunk(upload, file, Number(part[1]), of);
  }
  return rangeProblem(`Content-Range must read "bytes first-last/total" or "part n/N"; got "${range}".`);
}

function plainUpload(current: UploadState | undefined, file: Buffer): UploadStep {
  if (current) return rangeProblem("A chunked upload of this video is under way or finished.");
  if (file.length === 0)
    return { problem: problem(400, "invalid-attribute", "The file is empty.", undefined, "file") };
  if (file.length > MAX_PLAIN_UPLOAD_BYTES) {
    return {
      problem: problem(
        400,
        "file-too-large",
        `A single upload is limited to 200 MiB; use chunks with Content-Range.`,
        undefined,
        "file",
      ),
    };
  }
  const upload = newUpload("plain", file.length);
  upload.hash.update(file);
  upload.chunks.push({ from: 0, to: file.length - 1, total: file.length });
  upload.nextOffset = file.length;
  finish(upload);
  return { upload, added: true, finished: true };
}

function bytesChunk(
  current: UploadState | undefined,
  file: Buffer,
  first: number,
  last: number,
  total: number,
): UploadStep {
  if (current && current.mode !== "bytes") {
    return rangeProblem(`This upload uses ${current.mode} ranges; the two forms cannot be mixed.`);
  }
  if (total <= 0 || first > last || last >= total) {
    return rangeProblem(`Content-Range bytes ${first}-${last}/${total} is not a valid range.`);
  }
  if (file.length !== last - first + 1) {
    return rangeProblem(
      `Content-Range announces ${last - first + 1} bytes but the file part holds ${file.length}.`,
    );
  }
  if (current && current.total !== total) {
    return rangeProblem(`The total size changed from ${current.total} to ${total} during the upload.`);
  }
  const sizeProblem = chunkSizeProblem(file.length, last === total - 1);
  if (sizeProblem) return sizeProblem;
  const upload = current ?? newUpload("bytes", total);
  if (first > upload.nextOffset) {
    return rangeProblem(
      `Bytes ${upload.nextOffset}-${first - 1} have not been received; chunks must be contiguous.`,
    );
  }
  // A re-sent range is accepted as is: a client that lost our answer cannot know the chunk arrived.
  if (last < upload.nextOffset) return { upload, added: false, finished: false };
  upload.hash.update(file.subarray(upload.nextOffset - first));
  upload.chunks.push({ from: upload.nextOffset, to: last, total });
  upload.nextOffset = last + 1;
  const finished = upload.nextOffset === total;
  if (finished) finish(upload);
  return { upload, added: true, finished };
}

function partChunk(
  current: UploadState | undefined,
  file: Buffer,
  part: number,
  of: number | undefined,
): UploadStep {
  if (current && current.mode !== "part") {
    return rangeProblem(`This upload uses ${current.mode} ranges; the two forms cannot be mixed.`);
  }
  if (part < 1 || (of !== undefined && part > of))
    return rangeProblem(`Content-Range part ${part}/${of ?? "*"} is not valid.`);
  const isLast = of !== undefined && part === of;
  const sizeProblem = chunkSizeProblem(file.length, isLast);
  if (sizeProblem) return sizeProblem;
  const upload = current ?? newUpload("part", undefined);
  if (upload.complete || part <= upload.lastPart) return { upload, added: false, finished: false };
  if (part !== upload.lastPart + 1) {
    return rangeProblem(`Part ${upload.lastPart + 1} is expected next; got part ${part}.`);
  }
  upload.hash.update(file);
  const from = upload.nextOffset;
  upload.nextOffset += file.length;
  upload.lastPart = part;
  // While the total is unknown a range can only report what has arrived so far.
  upload.chunks.push({ from, to: upload.nextOffset - 1, total: upload.nextOffset });
  if (isLast) {
    upload.total = upload.nextOffset;
    for (const chunk of upload.chunks) chunk.total = upload.nextOffset;
    finish(upload);
  }
  return { upload, added: true, finished: isLast };
}

function finish(upload: UploadState): void {
  upload.complete = true;
  upload.sha256 = upload.hash.copy().digest("hex");
}

/** Reads the one file part of a multipart body, or says what is wrong with it. */
function readSingleFile(request: SimulatorRequest): Buffer | string {
  const parts = readMultipart(request.headers["content-type"] ?? "", request.rawBody);
  if ("problem" in parts) return parts.problem;
  // api.video's own clients name the part after the file, so any name is accepted; a file name is not optional.
  const files = parts.filter((part) => part.filename !== undefined);
  if (files.length !== 1) return `The upload must hold exactly one file part; it holds ${files.length}.`;
  return files[0]?.content ?? Buffer.alloc(0);
}

function rangeProblem(detail: string): { problem: SimulatorResponse } {
  return {
    problem: problem(
      400,
      "invalid-content-range",
      "The Content-Range header is invalid.",
      detail,
      "Content-Range",
    ),
  };
}

function chunkSizeProblem(length: number, isLast: boolean): { problem: SimulatorResponse } | undefined {
  if (length > MAX_CHUNK_BYTES)
    return rangeProblem(`A chunk may hold at most 128 MiB; this one holds ${length} bytes.`);
  if (!isLast && length < MIN_CHUNK_BYTES) {
    return rangeProblem(`Every chunk but the last must hold at least 5 MiB; this one holds ${length} bytes.`);
  }
  if (length === 0) return rangeProblem("A chunk may not be empty.");
  return undefined;
}

function newUpload(mode: UploadMode, total: number | undefined): UploadState {
  return {
    mode,
    total,
    nextOffset: 0,
    lastPart: 0,
    hash: createHash("sha256"),
    chunks: [],
    complete: false,
    sha256: undefined,
  };
}
