import { createStepHandler } from "../../handlers/core/createStepHandler";
import { dependenciesFromEnvironment } from "./dependencies";
import { importAssetsStep } from "./importAssets";

/** The Lambda entry of Vidori's `importAssets` step. */
export const handler = createStepHandler(importAssetsStep, dependenciesFromEnvironment);
