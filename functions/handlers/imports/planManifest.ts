import { z } from "zod";
import { type ManifestPlan, planManifestObject } from "../../imports/planManifestObject";
import { createStepHandler, type StepDefinition } from "../core/createStepHandler";
import { type ImportDependencies, importDependenciesFromEnvironment } from "./importDependencies";
import { claimedManifestSchema } from "./manifestEvent";

const event = z.object({ bucket: z.string().min(3), manifest: claimedManifestSchema });

/** Plan manifest: validate every row and write the jobs to run and the rows rejected. */
export const planManifestStep: StepDefinition<typeof event, ImportDependencies, ManifestPlan> = {
  operation: "imports.plan",
  event,
  run: ({ bucket, manifest }, { dependencies }) => planManifestObject(dependencies.s3, bucket, manifest),
};

export const handler = createStepHandler(planManifestStep, importDependenciesFromEnvironment);
