import { inspectS3Sources } from "../../pipeline/checkS3Sources";
import type { JobOf } from "../../pipeline/jobSpec";
import { probeContainer } from "../../pipeline/probeContainer";
import type { SourceReader } from "../../pipeline/sourceReader";
import { type FieldProblem, InvalidInputError } from "../core/InvalidInputError";

/** VIDIO's documented limits on the inputs of one highlight reel. */
export const VIDIO_LIMITS = { minTotalSeconds: 2, maxTotalSeconds: 6 * 3600, maxInputs: 400 } as const;
/** The reel length when the job names none: half a minute, or all there is when the inputs are shorter. */
const DEFAULT_OUTPUT_SECONDS = 30;

/** The inputs as measured from their own containers, and the reel length that follows. */
export interface CheckedVidioInputs {
  durationsSeconds: number[];
  totalSeconds: number;
  outputLengthSeconds: number;
}

/**
 * Measures every input from its container (ranged reads: a 10 GB input is never downloaded) and checks
 * VIDIO's limits before a single byte is uploaded. Every problem is reported at once, naming the field.
 * S3 inputs get the pipeline's source check, whose probe gives their durations; the rest are probed here.
 */
export async function checkVidioInputs(
  job: JobOf<"vidio">,
  reader: SourceReader,
): Promise<CheckedVidioInputs> {
  const inspection = await inspectS3Sources(job.sources, reader);
  const problems: FieldProblem[] = [...inspection.problems];
  const faulty = new Set(problems.map((problem) => problem.field));
  if (job.sources.length > VIDIO_LIMITS.maxInputs) {
    problems.push({
      field: "sources",
      problem: `VIDIO takes at most ${VIDIO_LIMITS.maxInputs} videos`,
      value: job.sources.length,
    });
  }
  const durationsSeconds: number[] = [];
  for (const [index, source] of job.sources.entries()) {
    const probed = inspection.checked[index]?.container;
    if (probed || faulty.has(`sources.${index}`)) {
      durationsSeconds.push(probed?.durationSeconds ?? 0);
      continue;
    }
    try {
      const bytes = await reader.byteSource(source, `sources.${index}.url`);
      durationsSeconds.push((await probeContainer(bytes)).durationSeconds);
    } catch (error) {
      durationsSeconds.push(0);
      // A URL the outbound policy refused already names its field and value.
      if (error instanceof InvalidInputError) problems.push(...error.problems);
      else
        problems.push({
          field: `sources.${index}`,
          problem: `cannot be read as a video: ${(error as Error).message}`,
        });
    }
  }
  const totalSeconds = durationsSeconds.reduce((sum, seconds) => sum + seconds, 0);
  if (problems.length === 0 && totalSeconds <= VIDIO_LIMITS.minTotalSeconds) {
    problems.push({
      field: "sources",
      problem: `together must run longer than ${VIDIO_LIMITS.minTotalSeconds} s`,
      value: `${totalSeconds} s`,
    });
  }
  if (totalSeconds >= VIDIO_LIMITS.maxTotalSeconds) {
    problems.push({
      field: "sources",
      problem: "together must run shorter than 6 hours",
      value: `${totalSeconds} s`,
    });
  }
  const requested = job.vidio.outputLengthSeconds;
  const outputLengthSeconds =
    requested ?? Math.max(1, Math.min(DEFAULT_OUTPUT_SECONDS, Math.floor(totalSeconds)));
  if (requested !== undefined && problems.length === 0 && requested > totalSeconds) {
    problems.push({
      field: "vidio.outputLengthSeconds",
      problem: `must not be longer than the inputs together (${round(totalSeconds)} s)`,
      value: requested,
    });
  }
  if (problems.length > 0) throw new InvalidInputError("job spec", problems);
  return {
    durationsSeconds: durationsSeconds.map(round),
    totalSeconds: round(totalSeconds),
    outputLengthSeconds,
  };
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
