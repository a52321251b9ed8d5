import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import type { JobsDependencies } from "../../jobs/JobsDependencies";
import { StepFunctionsJobRuns } from "../../jobs/StepFunctionsJobRuns";
import { requireEnv } from "../core/environment";

/** The job routes' and the upload trigger's clients, from the Lambda environment. */
export async function jobsDependenciesFromEnvironment(): Promise<JobsDependencies> {
  return {
    runs: new StepFunctionsJobRuns(new SFNClient({}), requireEnv("STATE_MACHINE_ARN")),
    s3: new S3Client({}),
    bucket: requireEnv("SOURCE_BUCKET"),
  };
}
