import { latestAttempt } from "../../jobs/attempts";
import type { JobsDependencies } from "../../jobs/JobsDependencies";
import { submitJob } from "../../jobs/submitJob";
import { type ApiRoute, createApiHandler, jobLinks, jsonBodyOf } from "./createApiHandler";
import { jsonResponse } from "./httpResponses";
import { jobsDependenciesFromEnvironment } from "./jobsDependencies";

/** `POST /jobs`: 202 for a new job, 200 with the same answer when the request repeats an earlier one. */
export const postJob: ApiRoute<JobsDependencies> = {
  operation: "jobs.post",
  run: async (event, dependencies) => {
    const iam = (event.requestContext as { authorizer?: { iam?: { userArn?: string } } }).authorizer?.iam;
    const { job, created } = await submitJob(
      {
        spec: jsonBodyOf(event),
        idempotencyKey: event.headers["idempotency-key"],
        caller: iam?.userArn ?? "anonymous",
      },
      dependencies,
    );
    const status = created
      ? "running"
      : ((await latestAttempt(dependencies.runs, job.jobId))?.execution.status.toLowerCase() ?? "running");
    return jsonResponse(created ? 202 : 200, { jobId: job.jobId, status, links: jobLinks(job.jobId) });
  },
};

export const handler = createApiHandler(postJob, jobsDependenciesFromEnvironment);
