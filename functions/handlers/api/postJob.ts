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
        caller: callerOf(iam?.userArn),
      },
      dependencies,
    );
    const status = created
      ? "running"
      : ((await latestAttempt(dependencies.runs, job.jobId))?.execution.status.toLowerCase() ?? "running");
    return jsonResponse(created ? 202 : 200, { jobId: job.jobId, status, links: jobLinks(job.jobId) });
  },
};

/**
 * The caller an Idempotency-Key belongs to. An assumed role's ARN ends in its session name, which changes
 * with every container, instance or CLI login; a retry from a new session is still the same caller.
 */
export function callerOf(userArn: string | undefined): string {
  if (userArn === undefined) return "unsigned";
  const session = /^(arn:[^:]+:sts::\d+:assumed-role\/[^/]+)\/.+$/.exec(userArn);
  return session?.[1] ?? userArn;
}

export const handler = createApiHandler(postJob, jobsDependenciesFromEnvironment);
