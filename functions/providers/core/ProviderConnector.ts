import type { S3Client } from "@aws-sdk/client-s3";
import type { z } from "zod";
import type { AwaitCallbackDependencies } from "../../callbacks/awaitCallback";
import type { StepDefinition } from "../../handlers/core/createStepHandler";
import type { Stage } from "../../pipeline/stages";
import type { SimulatedProvider } from "./simulator/SimulatedProvider";

/** Turns a step definition and how to load its dependencies into a handler (the local runtime's own). */
export type StepHandlerMaker<H> = <S extends z.ZodType, D, R>(
  definition: StepDefinition<S, D, R>,
  load: () => Promise<D>,
) => H;

/** What a local run gives a provider's steps in place of the Lambda environment. */
export interface LocalContext<C> {
  client: C;
  s3: S3Client;
  /** The callback URL of one wait, where the provider calls back to a URL we give it and webhooks are on. */
  callbackUrl?: (jobId: string, stage: Stage) => string;
}

/**
 * The code side of a provider's descriptor: how to build its client and its simulator, how to make the
 * simulator fail, how to check credentials, and its steps as the local runtime runs them. It imports the
 * provider's client, simulator and steps, so only the local runtime, the CLI and tests read it, through
 * `functions/providers/connectors.ts`; Lambda bundles never do.
 */
export interface ProviderConnector<C, S extends SimulatedProvider, D> {
  /** Its client for a base URL and the credentials its descriptor's `secret` names. */
  createClient(settings: { baseUrl: string; credentials: Record<string, string>; env: NodeJS.ProcessEnv }): C;
  /** Starts its simulator on 127.0.0.1; `credentials` are the only ones it accepts. */
  startSimulator(options: {
    processingMs: number;
  }): Promise<{ simulator: S; baseUrl: string; credentials: Record<string, string> }>;
  /** Makes the simulator fail the next job with `reason`, as a provider would report it (`--fail`). */
  armFailure(simulator: S, reason: string): void;
  /** Checks real credentials with a documented read, answering what to print; absent where none exists. */
  checkCredentials?(client: C): Promise<string>;
  /** What its steps need, built from its client locally. */
  localDependencies(context: LocalContext<C>): D;
  /** Its functions as local handlers, by function id; `callbacks` is what webhook waits file tokens with. */
  localHandlers<H>(
    make: StepHandlerMaker<H>,
    dependencies: D,
    callbacks: () => Promise<AwaitCallbackDependencies>,
  ): Record<string, H>;
}
