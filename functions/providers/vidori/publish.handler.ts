import { createStepHandler } from "../../handlers/core/createStepHandler";
import { publishStep } from "./publish";

/** The Lambda entry of Vidori's `publish` step: it calls no provider, so it needs nothing built. */
export const handler = createStepHandler(publishStep, async () => undefined);
