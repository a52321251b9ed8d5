import { createStepHandler } from "../../handlers/core/createStepHandler";
import { dependenciesFromEnvironment } from "./dependencies";
import { ingestStep } from "./ingest";

/** The Lambda entry of Viostream's `ingest` step. */
export const handler = createStepHandler(ingestStep, dependenciesFromEnvironment);
