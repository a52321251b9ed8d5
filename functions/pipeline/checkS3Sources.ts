import { type FieldProblem, InvalidInputError } from "../providers/core/InvalidInputError";
import type { JobSource } from "./jobSpec";
import { type ContainerInfo, probeContainer, UnreadableVideoError } from "./probeContainer";
import { s3SourceFailure } from "./s3SourceFailure";
import type { SourceReader } from "./sourceReader";

/** What the check learnt about one S3 source: its size, and its container when it was probed. */
export interface CheckedS3Source {
  size: number;
  container?: ContainerInfo;
}

/** Every S3 source's findings (undefined for URL sources and for faulty ones) and every problem found. */
export interface S3SourceInspection {
  checked: (CheckedS3Source | undefined)[];
  problems: FieldProblem[];
}

/** The suffixes whose container can be read here: MP4 and QuickTime, the family mp4box parses. */
const PROBED_SUFFIX = /\.(mp4|m4v|mov)$/i;
/** A few objects at a time: a job's 500 sources stay a few seconds of HEADs and ranged reads. */
const CONCURRENCY = 8;

/**
 * Checks every S3 source before a provider sees it: the object (at the version the job was started for)
 * exists, is not empty, and, for an MP4/MOV key, reads as that container. Every problem is reported at
 * once naming `sources.N`; a passing S3 fault is thrown as retryable instead. URL sources are not read.
 * `firstIndex` is the job's index of `sources[0]` when they are a slice of the job's sources.
 */
export async function checkS3Sources(
  sources: readonly JobSource[],
  reader: Pick<SourceReader, "byteSource">,
  firstIndex = 0,
): Promise<(CheckedS3Source | undefined)[]> {
  const { checked, problems } = await inspectS3Sources(sources, reader, firstIndex);
  if (problems.length > 0) throw new InvalidInputError("job spec", problems);
  return checked;
}

/** As `checkS3Sources`, but returns the problems for a caller that adds its own checks to them. */
export async function inspectS3Sources(
  sources: readonly JobSource[],
  reader: Pick<SourceReader, "byteSource">,
  firstIndex = 0,
): Promise<S3SourceInspection> {
  const problems: FieldProblem[] = [];
  const checked = await mapLimited(sources, CONCURRENCY, async (source, index) => {
    if (source.url !== undefined) return undefined;
    const found = await checkOne(source, reader);
    if ("problem" in found) {
      problems.push({
        field: `sources.${firstIndex + index}`,
        problem: found.problem,
        value: locationOf(source),
      });
      return undefined;
    }
    return found;
  });
  problems.sort((a, b) => indexOf(a.field) - indexOf(b.field));
  return { checked, problems };
}

async function checkOne(
  source: JobSource,
  reader: Pick<SourceReader, "byteSource">,
): Promise<CheckedS3Source | { problem: string }> {
  try {
    const bytes = await reader.byteSource(source);
    if (bytes.size === 0) return { problem: "is empty (0 bytes)" };
    if (!PROBED_SUFFIX.test(source.key ?? "")) return { size: bytes.size };
    return { size: bytes.size, container: await probeContainer(bytes) };
  } catch (error) {
    if (error instanceof UnreadableVideoError) {
      return { problem: `cannot be read as a video: ${error.message}` };
    }
    const failure = s3SourceFailure(error, locationOf(source));
    if ("error" in failure) throw failure.error;
    return failure;
  }
}

function locationOf(source: JobSource): string {
  return `s3://${source.bucket}/${source.key}`;
}

function indexOf(field: string): number {
  return Number(field.slice("sources.".length));
}

/** `work` over every item, at most `limit` at a time, results in the items' order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
