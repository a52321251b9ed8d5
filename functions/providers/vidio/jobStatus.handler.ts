import { createStepHandler } from "../../handlers/core/createStepHandler";
import { dependenciesFromEnvironment } from "./dependencies";
import { jobStatusStep } from "./jobStatus";

/** The Lambda entry of VIDIO's `jobStatus` step. */
export const handler = createStepHandler(jobStatusStep, dependenciesFromEnvironment);
