import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/** A Lambda handler as the runtime calls it. */
export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Calls a handler the way the Lambda service does for Step Functions' `lambda:invoke`: a JSON copy of the
 * payload, a context with a deadline, and a thrown error turned into the `{errorType, errorMessage}` Cause
 * the state machine parses. Keeping the wire shapes identical is what lets the same definition run here.
 */
export async function invokeLocalLambda(
  functionName: string,
  handler: LambdaHandler,
  payload: unknown,
  timeoutSeconds: number,
): Promise<{ Payload: unknown; StatusCode: number }> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const context = {
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: functionName,
    memoryLimitInMB: "256",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } satisfies Context;
  try {
    const result = await handler(JSON.parse(JSON.stringify(payload ?? null)), context);
    return { Payload: result === undefined ? null : JSON.parse(JSON.stringify(result)), StatusCode: 200 };
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    const failure = new Error(JSON.stringify({ errorType: name, errorMessage: message, trace: [] }));
    failure.name = name;
    throw failure;
  }
}
