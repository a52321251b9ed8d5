import type { S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import type { StepDefinition } from "../../handlers/core/createStepHandler";
import {
  type JobFileRef,
  type JobFiles,
  jobFileRef,
  readJobFileAs,
  writeJobFile,
} from "../../pipeline/jobFiles";
import { type JobOf, jobFor } from "../../pipeline/jobSpec";
import type { SourceReader } from "../../pipeline/sourceReader";
import { type SliceAnswer, stageOutput, stepEventSchema } from "../../pipeline/stepEvent";
import { checkVidioInputs } from "./checkInputs";
import type { VidioDependencies } from "./dependencies";
import type { VidioClient } from "./VidioClient";

/** What VIDIO's inputs are, kept in a job file: one key and one duration per source, in the job's order. */
export const vidioInputs = z.object({
  inputKeys: z.array(z.string()),
  durationsSeconds: z.array(z.number()),
});
export type VidioInputs = z.output<typeof vidioInputs>;

/**
 * Where the uploads to VIDIO stand. The keys and durations grow with the job (400 inputs), so they are in a
 * job file; the state keeps the counts, the totals and the file.
 */
export interface VidioUploadProgress extends SliceAnswer {
  uploaded: number;
  totalSeconds: number;
  outputLengthSeconds: number;
  inputsFile: JobFileRef;
}

/** The input keys and durations an upload progress names. */
export function readVidioInputs(s3: S3Client, progress: Pick<VidioUploadProgress, "inputsFile">) {
  return readJobFileAs(s3, progress.inputsFile, vidioInputs);
}

/**
 * Uploads the job's inputs to VIDIO in order, each streamed (memory bounded whatever the size). The first
 * slice checks every input's duration first; each slice uploads at least one input and stops when the
 * Lambda runs short of time, so hundreds of inputs span several invocations.
 */
export async function upload(
  job: JobOf<"vidio">,
  previous: VidioUploadProgress | undefined,
  dependencies: { vidio: VidioClient; reader: SourceReader; files: JobFiles },
  hasTimeLeft: () => boolean,
): Promise<VidioUploadProgress> {
  const { files } = dependencies;
  const checked = previous
    ? { ...previous, ...(await readVidioInputs(files.s3, previous)) }
    : { ...(await checkVidioInputs(job, dependencies.reader)), inputKeys: [] as string[] };
  const inputKeys = [...checked.inputKeys];
  do {
    const source = job.sources[inputKeys.length];
    if (!source) break;
    const stream = await dependencies.reader.stream(source, `sources.${inputKeys.length}.url`);
    const uploaded = await dependencies.vidio.upload({
      name: stream.name,
      size: stream.size,
      body: stream.body,
    });
    inputKeys.push(uploaded.input_key);
  } while (inputKeys.length < job.sources.length && hasTimeLeft());
  const inputs: VidioInputs = { inputKeys, durationsSeconds: checked.durationsSeconds };
  return {
    done: inputKeys.length === job.sources.length,
    uploaded: inputKeys.length,
    totalSeconds: checked.totalSeconds,
    outputLengthSeconds: checked.outputLengthSeconds,
    inputsFile: await writeJobFile(files, job.jobId, "vidio-inputs", inputs),
  };
}

/** The upload as the later stages read it back from `progress.upload`. */
export const uploaded = stageOutput(
  z
    .object({
      uploaded: z.number().int().nonnegative(),
      inputsFile: jobFileRef,
      totalSeconds: z.number(),
      outputLengthSeconds: z.number().int().positive(),
      done: z.boolean(),
    })
    .loose(),
);

const event = stepEventSchema({ upload: uploaded.optional() });

/** Stage `upload`: checks every input's duration, then streams the inputs to VIDIO in order, in slices. */
export const uploadStep: StepDefinition<typeof event, VidioDependencies, unknown> = {
  operation: "vidio.upload",
  event,
  run: ({ job, progress }, { dependencies, hasTimeLeft, jobFiles }) =>
    upload(jobFor(job, "vidio"), progress.upload?.value, { ...dependencies, files: jobFiles() }, hasTimeLeft),
};
