import { readFile } from "node:fs/promises";
import { parseStrictJsonObject } from "../functions/input/strictJson";
import { type Job, parseJobSpec } from "../functions/pipeline/jobSpec";
import { UsageError } from "./buildJob";

/**
 * A job spec file's JSON, read as every edge reads a spec: strict UTF-8 (a BOM dropped), no repeated keys,
 * no prototype names. A file that cannot be read is a UsageError; bad content an InvalidInputError.
 */
export async function readJobSpecFile(path: string): Promise<unknown> {
  const bytes = await readFile(path).catch(() => {
    throw new UsageError(`cannot read job spec "${path}"`);
  });
  return parseStrictJsonObject(bytes, { what: `job spec "${path}"`, field: "(root)" });
}

/** `vidstep validate`: the job spec in a file, validated, with its defaults filled in. */
export async function validateJobFile(path: string): Promise<Job> {
  return parseJobSpec(await readJobSpecFile(path));
}
