import { createStepHandler } from "../../handlers/core/createStepHandler";
import { dependenciesFromEnvironment } from "./dependencies";
import { renderStatusStep } from "./renderStatus";

/** The Lambda entry of VIDIO's `renderStatus` step. */
export const handler = createStepHandler(renderStatusStep, dependenciesFromEnvironment);
