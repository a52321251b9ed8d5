import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { JobConflictError } from "../../jobs/JobConflictError";
import { JobNotFoundError } from "../../jobs/JobNotFoundError";
import { PossibleDuplicateError } from "../../jobs/PossibleDuplicateError";
import { InvalidInputError } from "../../providers/core/InvalidInputError";
import { RECORD_CAPS, type RedactOptions, redactRecord } from "../../providers/core/redactRecord";
import { logger } from "../core/logger";

/** A JSON answer of the HTTP API, redacted: every answer of every route is written here. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  caps: RedactOptions = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(redactRecord(body, caps)),
  };
}

/**
 * The one place an error becomes an HTTP answer: bad input is 400 with every field problem, a conflict
 * 409 (with the resource to check when a redrive could duplicate a create), an unknown job 404; anything
 * else is 500 with a generic message, its detail only in the log. Error answers are capped: a 5 MiB bad
 * body comes back as a few hundred characters and its length.
 */
export function errorResponse(error: unknown, operation: string): APIGatewayProxyStructuredResultV2 {
  if (error instanceof InvalidInputError) {
    logger.info(`${operation} rejected`, { operation, problems: error.problems });
    return jsonResponse(400, { message: error.message, problems: error.problems }, RECORD_CAPS);
  }
  if (error instanceof PossibleDuplicateError) {
    return jsonResponse(
      409,
      { message: error.message, jobId: error.jobId, resource: error.resource },
      RECORD_CAPS,
    );
  }
  if (error instanceof JobConflictError) {
    return jsonResponse(409, { message: error.message, jobId: error.jobId }, RECORD_CAPS);
  }
  if (error instanceof JobNotFoundError) {
    return jsonResponse(404, { message: error.message, jobId: error.jobId }, RECORD_CAPS);
  }
  logger.error(`${operation} failed`, { operation, error: error as Error });
  return jsonResponse(500, { message: "Internal Server Error" });
}
