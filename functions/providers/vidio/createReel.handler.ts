import { createStepHandler } from "../../handlers/core/createStepHandler";
import { createReelStep } from "./createReel";
import { dependenciesFromEnvironment } from "./dependencies";

/** The Lambda entry of VIDIO's `createReel` step. */
export const handler = createStepHandler(createReelStep, dependenciesFromEnvironment);
