import type { S3Client } from "@aws-sdk/client-s3";
import { type JobFiles, jobFileRef, jsonBytes, readJobFile, writeJobFile } from "./jobFiles";

/**
 * A result up to this size stays in the state (and is the execution's output, which a batch import's Map
 * reads); a larger one keeps its long list in a job file. `results/<jobId>.json` always holds it whole.
 */
export const INLINE_RESULT_LIMIT_BYTES = 64 * 1024;

/** The suffix of a result field that names the job file holding the field without it. */
const FILE_SUFFIX = "File";

/**
 * The result as the state carries it: itself when small, else with `field` moved to a job file and
 * `<field>File` naming it. `inlineResultFiles` puts it back.
 */
export async function keepResultSmall<R extends Record<string, unknown>>(
  result: R,
  field: keyof R & string,
  files: JobFiles,
  jobId: string,
): Promise<Record<string, unknown>> {
  if (jsonBytes(result) <= INLINE_RESULT_LIMIT_BYTES) return result;
  const { [field]: list, ...rest } = result;
  return { ...rest, [`${field}${FILE_SUFFIX}`]: await writeJobFile(files, jobId, `result-${field}`, list) };
}

/** A result with every field that `keepResultSmall` moved to a job file read back into place. */
export async function inlineResultFiles(result: unknown, s3: S3Client): Promise<unknown> {
  if (result === null || typeof result !== "object" || Array.isArray(result)) return result;
  const whole: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(result)) {
    const ref = name.endsWith(FILE_SUFFIX) ? jobFileRef.safeParse(value) : undefined;
    if (ref?.success) whole[name.slice(0, -FILE_SUFFIX.length)] = await readJobFile(s3, ref.data);
    else whole[name] = value;
  }
  return whole;
}
