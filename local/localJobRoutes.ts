import { createApiHandler } from "../functions/handlers/api/createApiHandler";
import { getJob } from "../functions/handlers/api/getJob";
import { postJob } from "../functions/handlers/api/postJob";
import { postRedrive } from "../functions/handlers/api/redriveJob";
import type { JobsDependencies } from "../functions/jobs/JobsDependencies";
import type { LambdaHandler } from "./invokeLocalLambda";
import type { LocalRoutes } from "./LocalHttpApi";

/** The job routes of the HTTP API, served by the same handlers as on AWS with local clients injected. */
export function localJobRoutes(dependencies: JobsDependencies): LocalRoutes {
  const load = async () => dependencies;
  // The local API calls every route with a payload format 2.0 event, which is what these handlers take.
  return {
    "POST /jobs": createApiHandler(postJob, load) as LambdaHandler,
    "GET /jobs/{id}": createApiHandler(getJob, load) as LambdaHandler,
    "POST /jobs/{id}/redrive": createApiHandler(postRedrive, load) as LambdaHandler,
  };
}
