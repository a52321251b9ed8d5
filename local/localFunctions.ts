import type { z } from "zod";
import type { AwaitCallbackDependencies } from "../functions/callbacks/awaitCallback";
import { PIPELINE_FUNCTIONS, type PipelineFunctionId } from "../functions/catalog";
import {
  createStepHandler as createHandler,
  type StepDefinition,
} from "../functions/handlers/core/createStepHandler";
import { ConfigurationError } from "../functions/handlers/core/environment";
import { recordFailureStep } from "../functions/handlers/recordFailure";
import { recordResultStep } from "../functions/handlers/recordResult";
import type { JobFiles } from "../functions/pipeline/jobFiles";
import { connectorOf, type DependenciesOf } from "../functions/providers/connectors";
import { PROVIDERS, type Provider } from "../functions/providers/registry";
import type { RecordResultDependencies } from "../functions/steps/recordResult";
import type { LambdaHandler } from "./invokeLocalLambda";

/** The clients the local handlers get instead of reading the Lambda environment: each provider's, and the records'. */
export type LocalDependencies = { [P in Provider]: DependenciesOf<P> } & {
  results: RecordResultDependencies;
  /** Where lists that grow with a job are kept (`jobs/<jobId>/...`); default the results bucket. */
  jobFiles?: JobFiles;
  /** Where waits file their task tokens; only needed when the pipeline runs with webhooks (see localWebhooks). */
  callbacks?: AwaitCallbackDependencies;
};

/** A deployed function, as the local runtime holds it: its handler and its configured timeout. */
export interface LocalFunction {
  handler: LambdaHandler;
  timeoutSeconds: number;
}

/**
 * The pipeline's functions as in-process handlers: the same middy + zod handlers and pure steps as on AWS,
 * with their clients injected (pointing at the simulators or at real providers). Each provider's come from
 * its connector.
 */
export function localFunctions(dependencies: LocalDependencies): Record<PipelineFunctionId, LocalFunction> {
  const { results } = dependencies;
  const files = dependencies.jobFiles ?? { s3: results.s3, bucket: results.bucket };
  // The same handler as on AWS; its clients and the job files' bucket are injected instead of read from env.
  const createStepHandler = <S extends z.ZodType, D, R>(
    definition: StepDefinition<S, D, R>,
    load: () => Promise<D>,
  ): LambdaHandler => createHandler(definition, load, () => files);
  const callbacks = async () => {
    if (dependencies.callbacks) return dependencies.callbacks;
    throw new ConfigurationError("this local run has no webhooks: pass callbacks from localWebhooks");
  };
  const handlers: Record<string, LambdaHandler> = {
    RecordFailure: createStepHandler(recordFailureStep, async () => undefined),
    RecordResult: createStepHandler(recordResultStep, async () => results),
  };
  for (const provider of PROVIDERS) {
    Object.assign(
      handlers,
      connectorOf(provider).localHandlers(createStepHandler, dependencies[provider], callbacks),
    );
  }
  return Object.fromEntries(
    PIPELINE_FUNCTIONS.map((fn) => {
      const handler = handlers[fn.id];
      if (!handler) throw new ConfigurationError(`no local handler for ${fn.id}: add it to its connector`);
      return [fn.id, { handler, timeoutSeconds: fn.timeoutSeconds }];
    }),
  ) as Record<PipelineFunctionId, LocalFunction>;
}
