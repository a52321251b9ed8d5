import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { RECORD_CAPS, redactRecord } from "../functions/providers/core/redactRecord";
import { invokeLocalLambda, type LambdaHandler } from "./invokeLocalLambda";

/** Routes as API Gateway writes them, `"POST /jobs/{id}/redrive"`, each to the handler behind it. */
export type LocalRoutes = Record<string, LambdaHandler>;

/** The caller the local API reports to handlers, standing in for API Gateway's IAM authorizer. */
const LOCAL_CALLER_ARN = "arn:aws:iam::000000000000:user/local";

/** Bodies above this are refused, as API Gateway refuses payloads above its own limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface CompiledRoute {
  routeKey: string;
  method: string;
  pattern: RegExp;
  parameters: string[];
  handler: LambdaHandler;
}

/**
 * An HTTP API on 127.0.0.1 that calls Lambda handlers with API Gateway's payload format 2.0 events, so the
 * handlers deployed behind API Gateway serve the CLI and the simulators' webhooks locally, unchanged.
 * Routes with an IAM authorizer on AWS get a fixed local caller; no SigV4 is checked here.
 */
export class LocalHttpApi {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts the API on a free port (or `port`) and serves `routes` until `stop()`. */
  static async start(routes: LocalRoutes, port = 0): Promise<LocalHttpApi> {
    const compiled = Object.entries(routes).map(([routeKey, handler]) => compileRoute(routeKey, handler));
    const server = createServer((request, response) => {
      serve(compiled, request, response).catch((error: unknown) => {
        writeJson(response, 500, { message: "local API failure", detail: String(error) });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    const { port: bound } = server.address() as AddressInfo;
    return new LocalHttpApi(server, `http://127.0.0.1:${bound}`);
  }

  /** Stops accepting requests and closes open connections. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function compileRoute(routeKey: string, handler: LambdaHandler): CompiledRoute {
  const [method, path] = routeKey.split(" ");
  if (!method || !path?.startsWith("/")) throw new Error(`route ${routeKey} must read "METHOD /path"`);
  const parameters: string[] = [];
  const source = path
    .split("/")
    .map((segment) => {
      const parameter = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (!parameter) return segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
      parameters.push(parameter);
      return "([^/]+)";
    })
    .join("/");
  return { routeKey, method, pattern: new RegExp(`^${source}$`), parameters, handler };
}

async function serve(routes: CompiledRoute[], request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const matches = routes
    .map((route) => ({ route, match: route.pattern.exec(url.pathname) }))
    .filter((candidate) => candidate.match !== null);
  const found = matches.find(({ route }) => route.method === request.method);
  if (!found) {
    // API Gateway answers an unknown route with 404 and a route of another method the same way.
    writeJson(response, 404, { message: "Not Found" });
    return;
  }
  const body = await readBody(request);
  if (body === undefined) {
    writeJson(response, 413, { message: "Request Entity Too Large" });
    return;
  }
  const event = toEvent(found.route, found.match as RegExpExecArray, request, url, body);
  const functionName = `local-api:${found.route.routeKey}`;
  let result: unknown;
  try {
    ({ Payload: result } = await invokeLocalLambda(functionName, found.route.handler, event, 30));
  } catch {
    // A handler that throws is a 500 on API Gateway too; the detail stays in the handler's own log.
    writeJson(response, 500, { message: "Internal Server Error" });
    return;
  }
  writeResult(response, result);
}

function toEvent(
  route: CompiledRoute,
  match: RegExpExecArray,
  request: IncomingMessage,
  url: URL,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  const pathParameters = Object.fromEntries(
    route.parameters.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? "")]),
  );
  const query = Object.fromEntries(url.searchParams.entries());
  const now = new Date();
  const text = body.toString("utf8");
  // API Gateway base64-encodes bodies that are not valid UTF-8 text; signatures are computed on raw bytes.
  const isText = Buffer.from(text, "utf8").equals(body);
  return {
    version: "2.0",
    routeKey: route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ""),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(route.parameters.length > 0 ? { pathParameters } : {}),
    ...(body.length > 0 ? { body: isText ? text : body.toString("base64") } : {}),
    isBase64Encoded: body.length > 0 && !isText,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: url.host,
      domainPrefix: "local",
      http: {
        method: request.method ?? "GET",
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: "$default",
      time: now.toISOString(),
      timeEpoch: now.getTime(),
      authorizer: { iam: { userArn: LOCAL_CALLER_ARN, accountId: "000000000000" } },
    } as APIGatewayProxyEventV2["requestContext"],
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Writes a handler's answer the way API Gateway maps payload format 2.0 results. */
function writeResult(response: ServerResponse, result: unknown) {
  if (result === null || typeof result !== "object" || !("statusCode" in result)) {
    // A bare value is sent as a 200 JSON body, as API Gateway does for format 2.0.
    writeJson(response, 200, result ?? null);
    return;
  }
  const structured = result as APIGatewayProxyStructuredResultV2;
  const body = structured.body ?? "";
  response.writeHead(structured.statusCode ?? 200, {
    ...Object.fromEntries(Object.entries(structured.headers ?? {}).map(([k, v]) => [k, String(v)])),
  });
  response.end(structured.isBase64Encoded ? Buffer.from(body, "base64") : body);
}

/** Writes an answer of the local API itself (not a handler's), redacted: a failure's detail can quote a URL. */
function writeJson(response: ServerResponse, status: number, body: unknown) {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(redactRecord(body, status >= 400 ? RECORD_CAPS : {})));
}
