import { createStepHandler } from "../../handlers/core/createStepHandler";
import { dependenciesFromEnvironment } from "./dependencies";
import { publishStep } from "./publish";

/** The Lambda entry of VIDIO's `publish` step. */
export const handler = createStepHandler(publishStep, dependenciesFromEnvironment);
