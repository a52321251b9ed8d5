import middy from "@middy/core";
import type { S3Event } from "aws-lambda";
import type { JobsDependencies } from "../../jobs/JobsDependencies";
import { startJobFromUpload, type UploadOutcome } from "../../uploads/startJobFromUpload";
import { decodeEventKey } from "../../uploads/uploadKeys";
import { jobsDependenciesFromEnvironment } from "../api/jobsDependencies";
import { logger } from "../core/logger";
import { observed } from "../core/observability";

/**
 * The S3 notification handler: each created object under `inbox/` may start a job. Every record gets one
 * log line saying what happened and why; an error S3 could retry past (S3 or Step Functions failing) is
 * thrown, and a retry is safe because the execution name makes it start the same job.
 */
export function createUploadHandler(loadDependencies: () => Promise<JobsDependencies>) {
  let dependencies: Promise<JobsDependencies> | undefined;
  return observed(
    middy(async (event: S3Event): Promise<UploadOutcome[]> => {
      dependencies ??= loadDependencies().catch((error: unknown) => {
        dependencies = undefined;
        throw error;
      });
      const outcomes: UploadOutcome[] = [];
      for (const record of event.Records ?? []) {
        const key = decodeEventKey(record.s3.object.key);
        if (!record.eventName.startsWith("ObjectCreated:")) {
          outcomes.push({ outcome: "ignored", key, reason: `${record.eventName} does not start jobs` });
        } else {
          const { versionId, eTag, sequencer } = record.s3.object;
          outcomes.push(
            ...(await startJobFromUpload(
              { bucket: record.s3.bucket.name, key, versionId, eTag, sequencer },
              await dependencies,
            )),
          );
        }
      }
      for (const outcome of outcomes) logOutcome(outcome);
      return outcomes;
    }),
  );
}

function logOutcome(outcome: UploadOutcome) {
  const message = `upload ${outcome.outcome}: ${outcome.key}`;
  if (outcome.outcome === "rejected" || outcome.outcome === "conflict") logger.warn(message, { ...outcome });
  else logger.info(message, { ...outcome });
}

export const handler = createUploadHandler(jobsDependenciesFromEnvironment);
