import { RETRYABLE_ERROR_NAMES } from "../../functions/providers/core/errors";
import type { Retrier } from "./asl";

/**
 * Lambda's own transient failures (throttling, a service hiccup): short, since nothing of ours ran yet or
 * the invocation is safe to repeat.
 */
export const LAMBDA_SERVICE_RETRY: Retrier = {
  ErrorEquals: [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
  ],
  IntervalSeconds: 1,
  BackoffRate: 2,
  MaxAttempts: 3,
  MaxDelaySeconds: 20,
  JitterStrategy: "FULL",
};

/**
 * A provider that is down or answered something unreadable to a request that is safe to repeat. Up to
 * about two minutes in all; a 429 is not here, it has its own path that honours Retry-After.
 */
export const PROVIDER_UNAVAILABLE_RETRY: Retrier = {
  ErrorEquals: [...RETRYABLE_ERROR_NAMES],
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxAttempts: 5,
  MaxDelaySeconds: 60,
  JitterStrategy: "FULL",
};

/**
 * Writing a record (S3, EventBridge) fails only for transient reasons, and losing it would lose the job's
 * outcome: any error is retried a few times.
 */
export const RECORD_RETRY: Retrier = {
  ErrorEquals: ["States.ALL"],
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxAttempts: 4,
  MaxDelaySeconds: 30,
  JitterStrategy: "FULL",
};

/** The Retry of every task that calls a provider. */
export const PROVIDER_TASK_RETRY: Retrier[] = [PROVIDER_UNAVAILABLE_RETRY, LAMBDA_SERVICE_RETRY];
