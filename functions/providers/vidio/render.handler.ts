import { createStepHandler } from "../../handlers/core/createStepHandler";
import { dependenciesFromEnvironment } from "./dependencies";
import { renderStep } from "./render";

/** The Lambda entry of VIDIO's `render` step. */
export const handler = createStepHandler(renderStep, dependenciesFromEnvironment);
