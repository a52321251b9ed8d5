import type { JobsDependencies } from "../../jobs/JobsDependencies";
import { redriveJob } from "../../jobs/redriveJob";
import { type ApiRoute, createApiHandler, jobIdOf, jobLinks } from "./createApiHandler";
import { jsonResponse } from "./httpResponses";
import { jobsDependenciesFromEnvironment } from "./jobsDependencies";

/** `POST /jobs/{id}/redrive`: 202 with the new attempt, 200 when that attempt is already running. */
export const postRedrive: ApiRoute<JobsDependencies> = {
  operation: "jobs.redrive",
  run: async (event, dependencies) => {
    const jobId = jobIdOf(event);
    const { attempt, created } = await redriveJob(jobId, dependencies);
    return jsonResponse(created ? 202 : 200, { jobId, attempt, status: "running", links: jobLinks(jobId) });
  },
};

export const handler = createApiHandler(postRedrive, jobsDependenciesFromEnvironment);
