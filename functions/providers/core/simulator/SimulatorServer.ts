import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Fetch } from "../ProviderHttpClient";
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

export interface Route {
  method: string;
  /** A path pattern such as `/videos/:videoId/source`. */
  pattern: string;
  handle: RouteHandler;
}

/** How a provider says "slow down" and "broken" in its own format, for injected faults. */
export interface ProviderDialect {
  rateLimited(retryAfterSeconds: number): SimulatorResponse;
  unavailable(status: number): SimulatorResponse;
  notFound(path: string): SimulatorResponse;
}

/** One line of the request log, for tests that count calls (polls, uploads). */
export interface LoggedRequest {
  method: string;
  route: string;
  path: string;
  status: number;
}

/** A provider simulator: its routes served by `node:http` on 127.0.0.1, with switchable faults. */
export class SimulatorServer {
  readonly faults = new FaultSwitches();
  readonly log: LoggedRequest[] = [];
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
    routes: Route[],
    private readonly dialect: ProviderDialect,
  ) {
    this.compiled = routes.map((route) => {
      const keys: string[] = [];
      const source = route.pattern.replace(/:([A-Za-z]+)/g, (_match, key: string) => {
        keys.push(key);
        return "([^/]+)";
      });
      return { ...route, regex: new RegExp(`^${source}$`), keys };
    });
  }

  /** The base URL, once started. */
  get baseUrl(): string {
    if (!this.server) throw new Error(`${this.name} simulator is not started`);
    return this.base;
  }

  /** Starts listening on 127.0.0.1 (port 0 picks a free one) and returns the base URL. */
  async start(port = 0): Promise<string> {
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

  /** Stops listening and drops open connections. */
  async stop(): Promise<void> {
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
   * A dropped connection surfaces as fetch's own "fetch failed" error.
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
    if (fault.kind === "drop") {
      this.log.push({ method, route: match?.pattern ?? url.pathname, path: url.pathname, status: 0 });
      return "drop";
    }
    let response: SimulatorResponse;
    if (fault.kind === "rateLimited") response = this.dialect.rateLimited(fault.retryAfterSeconds);
    else if (fault.kind === "unavailable") response = this.dialect.unavailable(503);
    else if (!match) response = this.dialect.notFound(url.pathname);
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
    }
    this.log.push({
      method,
      route: match?.pattern ?? url.pathname,
      path: url.pathname,
      status: response.status,
    });
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

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}
