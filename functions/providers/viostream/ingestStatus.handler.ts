import { createStepHandler } from "../../handlers/core/createStepHandler";
import { dependenciesFromEnvironment } from "./dependencies";
import { ingestStatusStep } from "./ingestStatus";

/** The Lambda entry of Viostream's `ingestStatus` step. */
export const handler = createStepHandler(ingestStatusStep, dependenciesFromEnvironment);
