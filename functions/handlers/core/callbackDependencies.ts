import { S3Client } from "@aws-sdk/client-s3";
import { SFNClient } from "@aws-sdk/client-sfn";
import type { AwaitCallbackDependencies } from "../../callbacks/awaitCallback";
import { S3CallbackRegistry } from "../../callbacks/S3CallbackRegistry";
import { StepFunctionsTaskCompletion } from "../../callbacks/StepFunctionsTaskCompletion";
import { requireEnv } from "./environment";
import { secretSetting } from "./providerApiKey";

/**
 * How long a read confirming a webhook may take: well inside the receiver's 15 s and the registrations' 30 s
 * Lambda timeouts, so a slow provider gets our own 503 (or a retried step), not a killed function.
 */
export const CONFIRM_TIMEOUT_MS = 8_000;

/** Where callbacks are filed (`CALLBACK_BUCKET`) and how tasks are completed (Step Functions), on AWS. */
export async function callbackDependenciesFromEnvironment(): Promise<AwaitCallbackDependencies> {
  return {
    registry: new S3CallbackRegistry(new S3Client({}), requireEnv("CALLBACK_BUCKET")),
    completion: new StepFunctionsTaskCompletion(new SFNClient({})),
  };
}

/** The key video.dev callback URLs' secrets are derived with: a secret `{"signingKey": ...}`, or locally an env var. */
export function callbackSigningKeyFromEnvironment(): Promise<string> {
  return secretSetting({
    arnVariable: "CALLBACK_SIGNING_SECRET_ARN",
    field: "signingKey",
    localVariable: "CALLBACK_SIGNING_KEY",
  });
}
