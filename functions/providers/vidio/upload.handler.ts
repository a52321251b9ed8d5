import { createStepHandler } from "../../handlers/core/createStepHandler";
import { dependenciesFromEnvironment } from "./dependencies";
import { uploadStep } from "./upload";

/** The Lambda entry of VIDIO's `upload` step. */
export const handler = createStepHandler(uploadStep, dependenciesFromEnvironment);
