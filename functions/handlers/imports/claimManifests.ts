import { z } from "zod";
import { type ClaimedManifest, claimManifests } from "../../imports/claimManifests";
import { MANIFESTS_PER_RUN } from "../../imports/importFunctions";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { type ImportDependencies, importDependenciesFromEnvironment } from "./importDependencies";

const event = z.object({
  bucket: z.string().min(3),
  limit: z.number().int().min(1).max(100).default(MANIFESTS_PER_RUN),
});

/** Claim manifests: the new manifests under `imports/` this run imports. */
export const claimManifestsStep: StepDefinition<
  typeof event,
  ImportDependencies,
  { manifests: ClaimedManifest[] }
> = {
  operation: "imports.claim",
  event,
  run: async ({ bucket, limit }, { dependencies }) => ({
    manifests: await claimManifests(dependencies.s3, bucket, limit),
  }),
};

export const handler = createStepHandler(claimManifestsStep, importDependenciesFromEnvironment);
