import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { parseStrictJsonObject } from "../../input/strictJson";
import { isExecutionName } from "../../jobs/executionName";
import { InvalidInputError } from "../../providers/core/InvalidInputError";
import { observed } from "../core/observability";
import { errorResponse } from "./httpResponses";

/** One route of the HTTP API: its operation name (for logs) and the work, given the event and clients. */
export interface ApiRoute<D> {
  operation: string;
  run: (event: APIGatewayProxyEventV2, dependencies: D) => Promise<APIGatewayProxyStructuredResultV2>;
}

/**
 * The Lambda handler of one route (payload format 2.0): loads dependencies once per container, runs the
 * route, and turns every error into an answer in one place.
 */
export function createApiHandler<D>(route: ApiRoute<D>, loadDependencies: () => Promise<D>) {
  let dependencies: Promise<D> | undefined;
  return observed(
    middy(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
      try {
        dependencies ??= loadDependencies().catch((error: unknown) => {
          dependencies = undefined;
          throw error;
        });
        return await route.run(event, await dependencies);
      } catch (error) {
        return errorResponse(error, route.operation);
      }
    }),
  );
}

/** The `{id}` path parameter: a job id, which is an execution name, so anything else is a 400. */
export function jobIdOf(event: APIGatewayProxyEventV2): string {
  const id = event.pathParameters?.id ?? "";
  if (!isExecutionName(id)) {
    throw new InvalidInputError("request", [
      { field: "id", problem: "must be a job id: 1-80 letters, digits, '-' or '_'", value: id },
    ]);
  }
  return id;
}

/**
 * The request's JSON body, read strictly (UTF-8, no repeated keys, no prototype names); a missing or bad
 * one is a 400 naming `body`, or the key at fault. API Gateway passes bytes that are not UTF-8 as base64.
 */
export function jsonBodyOf(event: APIGatewayProxyEventV2): Record<string, unknown> {
  const body = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64") : event.body;
  return parseStrictJsonObject(body, { what: "request", field: "body" });
}

/** Where a job's routes are, for answers that point at them. */
export function jobLinks(jobId: string) {
  return { self: `/jobs/${jobId}`, redrive: `/jobs/${jobId}/redrive` };
}
