import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { z } from "zod";
import type { JobsDependencies } from "../../jobs/JobsDependencies";
import { redriveJob } from "../../jobs/redriveJob";
import type { RedriveChoices } from "../../jobs/unknownCreateOutcome";
import { parseOrThrow } from "../../providers/core/InvalidInputError";
import { type ApiRoute, createApiHandler, jobIdOf, jobLinks, jsonBodyOf } from "./createApiHandler";
import { jsonResponse } from "./httpResponses";
import { jobsDependenciesFromEnvironment } from "./jobsDependencies";

/** The optional body of a redrive: the caller's explicit acceptance of a possible duplicate create. */
export const RedriveBodySchema = z
  .object({
    acceptPossibleDuplicate: z.boolean({ error: "must be true or false" }).optional(),
  })
  .strict();

/** `POST /jobs/{id}/redrive`: 202 with the new attempt, 200 when that attempt is already running. */
export const postRedrive: ApiRoute<JobsDependencies> = {
  operation: "jobs.redrive",
  run: async (event, dependencies) => {
    const jobId = jobIdOf(event);
    const { attempt, created } = await redriveJob(jobId, dependencies, redriveChoicesOf(event));
    return jsonResponse(created ? 202 : 200, { jobId, attempt, status: "running", links: jobLinks(jobId) });
  },
};

/** The caller's choices: none without a body, else the body checked field by field. */
function redriveChoicesOf(event: APIGatewayProxyEventV2): RedriveChoices {
  if (event.body === undefined || event.body === "") return {};
  return parseOrThrow(RedriveBodySchema, jsonBodyOf(event), "redrive request");
}

export const handler = createApiHandler(postRedrive, jobsDependenciesFromEnvironment);
