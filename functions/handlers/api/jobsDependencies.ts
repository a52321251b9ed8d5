import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import type { JobRuns } from "../../jobs/JobRuns";
import type { JobsDependencies } from "../../jobs/JobsDependencies";
import { StepFunctionsJobRuns } from "../../jobs/StepFunctionsJobRuns";
import { requireEnv } from "../core/environment";
import { countFor, METRIC_NAMES } from "../core/metrics";

/** The job routes' and the upload trigger's clients, from the Lambda environment. */
export async function jobsDependenciesFromEnvironment(): Promise<JobsDependencies> {
  const s3 = new S3Client({});
  const bucket = requireEnv("SOURCE_BUCKET");
  // A large job's sources are kept in the same bucket, under jobs/.
  const runs = new StepFunctionsJobRuns(new SFNClient({}), requireEnv("STATE_MACHINE_ARN"), { s3, bucket });
  return { runs: countingStarts(runs), s3, bucket };
}

/** Counts JobsStarted per provider for every execution these entry points really start (not repeats). */
function countingStarts(runs: JobRuns): JobRuns {
  return {
    start: async (name, job) => {
      const started = await runs.start(name, job);
      if (started.created) countFor(job.provider, METRIC_NAMES.jobsStarted);
      return started;
    },
    describe: (name) => runs.describe(name),
    redriveInPlace: (name) => runs.redriveInPlace(name),
  };
}
