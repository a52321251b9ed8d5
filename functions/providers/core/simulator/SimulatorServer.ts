import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Fetch } from "../ProviderHttpClient";
import { BackgroundWork } from "./BackgroundWork";
import { FaultSwitches } from "./FaultSwitches";

/** One request as a simulator route sees it. */
export interface SimulatorRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The body parsed as JSON; `undefined` when it is empty or not JSON. */
  json: unknown;
  /** The base URL this simulator is served on, for links it hands out. */
  baseUrl: string;
}

/** What a route answers: a JSON body by default, or raw bytes. */
export interface SimulatorResponse {
  status: number;
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: SimulatorRequest) => SimulatorResponse | Promise<SimulatorResponse>;

/**
 * Wraps route handlers so that only the requests `accepts` lets in reach them; the others get `refusal`,
 * which never echoes the credential that was sent.
 */
export function guard(
  accepts: (request: SimulatorRequest) => boolean,
  refusal: () => SimulatorResponse,
): (handle: RouteHandler) => RouteHandler {
  return (handle) => (request) => (accepts(request) ? handle(request) : refusal());
}

export interface Route {
  method: string;
  /**
   * A path pattern such as `/videos/:videoId/source`: a segment that starts with `:name` is a parameter
   * (up to the next `/`, less any literal text after the name), everything else is matched as written.
   */
  pattern: string;
  handle: RouteHandler;
}

/**
 * Routes keyed the way fault switches and `count` name them, `METHOD /pattern`, e.g.
 * `{"GET /videos/:videoId": handle}`; tried in the order written.
 */
export type RouteTable = Record<string, RouteHandler>;

/** How a provider says "slow down" and "broken" in its own format, for injected faults. */
export interface ProviderDialect {
  rateLimited(retryAfterSeconds: number): SimulatorResponse;
  unavailable(status: number): SimulatorResponse;
  notFound(path: string): SimulatorResponse;
  /** The 5xx the provider documents for an outage, answered when a fault names none; default 503. */
  unavailableStatus?: number;
}

/** One line of the request log, for tests that count calls (polls, uploads). */
export interface LoggedRequest {
  method: string;
  route: string;
  path: string;
  /** The status answered; 0 when the connection was dropped and no answer reached the client. */
  status: number;
}

/**
 * A provider simulator: its routes served by `node:http` on 127.0.0.1, with switchable faults and the
 * background work its routes start (stopping waits for it).
 */
export class SimulatorServer {
  readonly faults = new FaultSwitches();
  readonly log: LoggedRequest[] = [];
  readonly work = new BackgroundWork();
  private readonly compiled: {
    method: string;
    pattern: string;
    regex: RegExp;
    keys: string[];
    handle: RouteHandler;
  }[];
  private server: Server | undefined;
  private base = "";

  constructor(
    readonly name: string,
    routes: Route[] | RouteTable,
    private readonly dialect: ProviderDialect,
  ) {
    const list = Array.isArray(routes)
      ? routes
      : Object.entries(routes).map(([key, handle]) => toRoute(key, handle));
    this.compiled = list.map((route) => ({ ...route, ...compilePattern(route.pattern) }));
  }

  /** The base URL, once started. */
  get baseUrl(): string {
    if (!this.server) throw new Error(`${this.name} simulator is not started`);
    return this.base;
  }

  /** Starts listening on 127.0.0.1 (port 0 picks a free one) and returns the base URL. */
  async start(port = 0): Promise<string> {
    this.work.restart();
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        this.dispatch(req.method ?? "GET", req.url ?? "/", req.headers, Buffer.concat(chunks), res).catch(
          (error: unknown) => {
            if (!res.headersSent) this.write(res, { status: 500, body: { message: String(error) } });
          },
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.server = server;
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.base;
  }

  /** Ends the background work (waiting for what is under way), then stops listening and drops connections. */
  async stop(): Promise<void> {
    await this.work.stop();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** How many logged requests matched a route, e.g. `count("GET /videos/:videoId/status")`. */
  count(route: string): number {
    return this.log.filter((entry) => `${entry.method} ${entry.route}` === route).length;
  }

  /**
   * The same simulator without a socket: a `fetch` for unit tests, which must not touch the network.
   * A dropped connection (before or after the route ran) surfaces as fetch's own "fetch failed" error.
   */
  inMemoryFetch(baseUrl = "http://simulator.invalid"): Fetch {
    return async (input, init) => {
      const request = new Request(input, init);
      const headers: IncomingHttpHeaders = {};
      request.headers.forEach((value, key) => {
        headers[key] = value;
      });
      const rawBody = Buffer.from(await request.arrayBuffer());
      const url = new URL(request.url);
      const answer = await this.answer(
        request.method,
        `${url.pathname}${url.search}`,
        headers,
        rawBody,
        baseUrl,
      );
      if (answer === "drop") {
        throw new TypeError("fetch failed", {
          cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
        });
      }
      const { payload, headers: responseHeaders } = this.serialise(answer);
      const nullBody = answer.status === 204 || answer.status === 304;
      return new Response(nullBody ? null : payload, { status: answer.status, headers: responseHeaders });
    };
  }

  private async dispatch(
    method: string,
    rawUrl: string,
    headers: IncomingHttpHeaders,
    rawBody: Buffer,
    res: ServerResponse,
  ): Promise<void> {
    const answer = await this.answer(method, rawUrl, headers, rawBody, this.base);
    if (answer === "drop") {
      res.socket?.destroy();
      return;
    }
    this.write(res, answer);
  }

  private async answer(
    method: string,
    rawUrl: string,
    headers: IncomingHttpHeaders,
    rawBody: Buffer,
    baseUrl: string,
  ): Promise<SimulatorResponse | "drop"> {
    const url = new URL(rawUrl, baseUrl);
    const match = this.match(method, url.pathname);
    const routeKey = match ? `${method} ${match.pattern}` : `${method} ${url.pathname}`;
    const fault = this.faults.take(routeKey);
    if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    const logged = { method, route: match?.pattern ?? url.pathname, path: url.pathname };
    if (fault.kind === "drop") {
      this.log.push({ ...logged, status: 0 });
      return "drop";
    }
    let response: SimulatorResponse;
    if (fault.kind === "rateLimited") response = this.dialect.rateLimited(fault.retryAfterSeconds);
    else if (fault.kind === "unavailable") {
      response = this.dialect.unavailable(fault.status ?? this.dialect.unavailableStatus ?? 503);
    } else if (!match) response = this.dialect.notFound(url.pathname);
    else {
      response = await match.handle({
        method,
        path: url.pathname,
        params: match.params,
        query: url.searchParams,
        headers,
        rawBody,
        json: parseJson(rawBody),
        baseUrl,
      });
      if (fault.kind === "malformed" && response.status < 300)
        response = { status: response.status, raw: "{not json" };
      if (fault.kind === "wrongShape" && response.status < 300)
        response = { status: response.status, body: { unexpected: true } };
    }
    if (fault.kind === "dropAnswer") {
      // The route ran (the provider acted); only its answer is lost.
      this.log.push({ ...logged, status: 0 });
      return "drop";
    }
    this.log.push({ ...logged, status: response.status });
    return response;
  }

  private match(method: string, path: string) {
    for (const route of this.compiled) {
      if (route.method !== method) continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, index) => {
        params[key] = decodeURIComponent(found[index + 1] ?? "");
      });
      return { pattern: route.pattern, params, handle: route.handle };
    }
    return undefined;
  }

  private write(res: ServerResponse, response: SimulatorResponse): void {
    const { payload, headers } = this.serialise(response);
    res.writeHead(response.status, headers);
    res.end(payload);
  }

  private serialise(response: SimulatorResponse): {
    payload: string | Buffer;
    headers: Record<string, string>;
  } {
    const headers: Record<string, string> = { ...response.headers };
    let payload: string | Buffer = "";
    if (response.raw !== undefined) payload = response.raw;
    else if (response.body !== undefined) {
      payload = JSON.stringify(response.body);
      headers["content-type"] ??= "application/json";
    }
    return { payload, headers };
  }
}

function toRoute(key: string, handle: RouteHandler): Route {
  const space = key.indexOf(" ");
  if (space < 1) throw new Error(`route ${JSON.stringify(key)} is not written "METHOD /pattern"`);
  return { method: key.slice(0, space), pattern: key.slice(space + 1), handle };
}

/**
 * A route pattern as a regular expression: a segment starting with `:name` captures up to the next `/`,
 * everything else (`.` in `manifest.m3u8`, `+`, `(`) is matched literally.
 */
function compilePattern(pattern: string): { regex: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = pattern
    .split("/")
    .map((segment) => {
      const parameter = /^:([A-Za-z]+)(.*)$/.exec(segment);
      if (!parameter) return escapeRegExp(segment);
      keys.push(parameter[1] ?? "");
      return `([^/]+?)${escapeRegExp(parameter[2] ?? "")}`;
    })
    .join("/");
  return { regex: new RegExp(`^${source}$`), keys };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}
