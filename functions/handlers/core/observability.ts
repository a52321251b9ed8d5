import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import type { MiddyfiedHandler } from "@middy/core";
import { logger } from "./logger";

/**
 * The X-Ray tracer of every handler: a subsegment per invocation with its response or error. It turns
 * itself off outside Lambda, so local runs and tests trace nothing.
 */
export const tracer = new Tracer({ serviceName: "vidstep" });

/**
 * Adds what every vidstep handler carries: the Lambda context in each log line (keys reset per
 * invocation, so a warm container never leaks the previous job's) and the tracer's handler subsegment.
 */
export function observed<E, R>(handler: MiddyfiedHandler<E, R>): MiddyfiedHandler<E, R> {
  // Responses can hold provider URLs with tokens; errors are traced, payloads are not.
  return handler
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }));
}
