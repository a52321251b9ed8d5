import type { JobsDependencies } from "../../jobs/JobsDependencies";
import { jobStatus } from "../../jobs/jobStatus";
import { type ApiRoute, createApiHandler, jobIdOf, jobLinks } from "./createApiHandler";
import { jsonResponse } from "./httpResponses";
import { jobsDependenciesFromEnvironment } from "./jobsDependencies";

/** `GET /jobs/{id}`: the job's status, current step, and its result or failure once it ended. */
export const getJob: ApiRoute<JobsDependencies> = {
  operation: "jobs.get",
  run: async (event, dependencies) => {
    const jobId = jobIdOf(event);
    return jsonResponse(200, { ...(await jobStatus(jobId, dependencies)), links: jobLinks(jobId) });
  },
};

export const handler = createApiHandler(getJob, jobsDependenciesFromEnvironment);
