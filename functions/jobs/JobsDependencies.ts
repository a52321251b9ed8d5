import type { S3Client } from "@aws-sdk/client-s3";
import type { JobRuns } from "./JobRuns";

/** What starting and inspecting jobs needs: where they run, and the bucket of sources and results. */
export interface JobsDependencies {
  runs: JobRuns;
  s3: S3Client;
  /** The pipeline's bucket: the only one its functions may read sources from; results are written there. */
  bucket: string;
}
