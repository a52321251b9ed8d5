import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ProviderHttpClient } from "../../../functions/providers/core/ProviderHttpClient";
import {
  guard,
  type ProviderDialect,
  type RouteTable,
  SimulatorServer,
} from "../../../functions/providers/core/simulator/SimulatorServer";

/** A dialect that names what it was asked for, so a test can see which fault answered. */
const dialect: ProviderDialect = {
  rateLimited: (retryAfterSeconds) => ({
    status: 429,
    body: { said: "slow down" },
    headers: { "retry-after": String(retryAfterSeconds) },
  }),
  unavailable: (status) => ({ status, body: { said: "broken" } }),
  notFound: (path) => ({ status: 404, body: { said: `nothing at ${path}` } }),
};

/** A tiny provider: a counter that a POST increments, and a few routes with awkward patterns. */
function counterServer(options: { dialect?: ProviderDialect } = {}) {
  const state = { created: 0 };
  const routes: RouteTable = {
    "POST /things": () => {
      state.created += 1;
      return { status: 201, body: { id: `t${state.created}` } };
    },
    "GET /things/:id": (request) => ({ status: 200, body: { id: request.params.id } }),
    "GET /vod/:videoId/hls/manifest.m3u8": (request) => ({
      status: 200,
      body: { id: request.params.videoId },
    }),
    "GET /files/:name.json": (request) => ({ status: 200, body: { id: request.params.name } }),
    "GET /a+b/(c)": () => ({ status: 200, body: { id: "literal" } }),
    "GET /v1/jobs:create": () => ({ status: 200, body: { id: "colon" } }),
  };
  const server = new SimulatorServer("counter", routes, options.dialect ?? dialect);
  return { server, state };
}

function clientOf(server: SimulatorServer, baseUrl?: string) {
  return new ProviderHttpClient({
    provider: "counter",
    baseUrl: baseUrl ?? "http://simulator.invalid",
    describeError: (_status, body) => ({ message: String((body as { said?: string } | undefined)?.said) }),
    ...(baseUrl ? {} : { fetch: server.inMemoryFetch() }),
  });
}

const thing = z.object({ id: z.string() });

async function get(server: SimulatorServer, path: string): Promise<number> {
  const response = await server.inMemoryFetch()(`http://simulator.invalid${path}`, { method: "GET" });
  await response.body?.cancel();
  return response.status;
}

describe("SimulatorServer route patterns", () => {
  it("matches everything but a `:name` segment literally", async () => {
    // Prepare
    const { server } = counterServer();

    // Act
    const statuses = {
      manifest: await get(server, "/vod/v1/hls/manifest.m3u8"),
      anyCharForDot: await get(server, "/vod/v1/hls/manifestXm3u8"),
      plus: await get(server, "/a+b/(c)"),
      plusAsRepeat: await get(server, "/aab/c"),
      colonInsideSegment: await get(server, "/v1/jobs:create"),
      colonNotAParameter: await get(server, "/v1/jobsXcreate"),
    };

    // Assess
    expect(statuses).toEqual({
      manifest: 200,
      anyCharForDot: 404,
      plus: 200,
      plusAsRepeat: 404,
      colonInsideSegment: 200,
      colonNotAParameter: 404,
    });
  });

  it("captures a parameter followed by literal text in its segment", async () => {
    // Prepare
    const { server } = counterServer();
    const client = clientOf(server);

    // Act
    const named = await client.request({
      operation: "get",
      method: "GET",
      path: "/files/a.b.json",
      schema: thing,
    });

    // Assess
    expect(named).toEqual({ id: "a.b" });
    expect(server.count("GET /files/:name.json")).toBe(1);
  });
});

describe("SimulatorServer faults", () => {
  let started: SimulatorServer | undefined;

  afterEach(async () => {
    await started?.stop();
    started = undefined;
  });

  const create = { operation: "create", method: "POST", path: "/things", schema: thing } as const;

  it.each(["in memory", "over 127.0.0.1"])(
    "dropAnswer runs the route, then loses its answer (%s): the outcome is unknown",
    async (where) => {
      // Prepare
      const { server, state } = counterServer();
      const baseUrl = where === "in memory" ? undefined : await server.start();
      if (baseUrl) started = server;
      const client = clientOf(server, baseUrl);
      server.faults.dropAnswer({ times: 1, route: "POST /things" });

      // Act
      const error = await client.request(create).catch((caught: unknown) => caught);
      const next = await client.request(create);

      // Assess
      expect(error).toMatchObject({ name: "ProviderOutcomeUnknownError" });
      expect(state.created).toBe(2);
      expect(next).toEqual({ id: "t2" });
      expect(server.log.map((entry) => entry.status)).toEqual([0, 201]);
    },
  );

  it("dropConnection loses the request before the route runs", async () => {
    // Prepare
    const { server, state } = counterServer();
    server.faults.dropConnection({ times: 1 });

    // Act
    const error = await clientOf(server)
      .request(create)
      .catch((caught: unknown) => caught);

    // Assess
    expect(error).toMatchObject({ name: "ProviderOutcomeUnknownError" });
    expect(state.created).toBe(0);
  });

  it("unavailable answers 503 in the dialect, the status the dialect documents, or the one asked for", async () => {
    // Prepare
    const plain = counterServer().server;
    const documented = counterServer({ dialect: { ...dialect, unavailableStatus: 500 } }).server;
    plain.faults.unavailable({ times: 1 }).unavailable({ times: 1, status: 502 });
    documented.faults.unavailable({ times: 1 });

    // Act
    const statuses = [
      await get(plain, "/things/1"),
      await get(plain, "/things/1"),
      await get(documented, "/things/1"),
      await get(plain, "/things/1"),
    ];

    // Assess
    expect(statuses).toEqual([503, 502, 500, 200]);
  });

  it("lets `after` requests through before the fault fires", async () => {
    // Prepare
    const { server } = counterServer();
    server.faults.rateLimit({ times: 1, after: 2, route: "GET /things/:id" });

    // Act
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push(await get(server, `/things/${i}`));

    // Assess
    expect(statuses).toEqual([200, 200, 429, 200]);
  });

  it("guards routes: a refused request never reaches the handler", async () => {
    // Prepare
    let reached = 0;
    const authed = guard(
      (request) => request.headers["x-api-key"] === "right",
      () => ({ status: 401, body: { said: "no" } }),
    );
    const server = new SimulatorServer(
      "guarded",
      {
        "GET /secret": authed(() => {
          reached += 1;
          return { status: 200, body: { id: "s" } };
        }),
      },
      dialect,
    );
    const fetch = server.inMemoryFetch();

    // Act
    const refused = await fetch("http://simulator.invalid/secret", { headers: { "x-api-key": "wrong" } });
    const allowed = await fetch("http://simulator.invalid/secret", { headers: { "x-api-key": "right" } });

    // Assess
    expect([refused.status, allowed.status]).toEqual([401, 200]);
    expect(reached).toBe(1);
  });
});

describe("SimulatorServer background work", () => {
  it("stop() cancels timers and waits for work under way, and aborts its signal", async () => {
    // Prepare
    const { server } = counterServer();
    await server.start();
    const done: string[] = [];
    server.work.after(60_000, () => done.push("timer"));
    server.work.track(new Promise((resolve) => setTimeout(resolve, 30)).then(() => done.push("tracked")));

    // Act
    await server.stop();

    // Assess
    expect(done).toEqual(["tracked"]);
    expect(server.work.signal.aborted).toBe(true);
    expect(server.work.stopped).toBe(true);
  });

  it("idle() waits for timers and the work they start", async () => {
    // Prepare
    const { server } = counterServer();
    const done: string[] = [];
    server.work.after(10, () =>
      server.work.track(new Promise((resolve) => setTimeout(resolve, 10)).then(() => done.push("late"))),
    );

    // Act
    await server.work.idle();

    // Assess
    expect(done).toEqual(["late"]);
  });

  it("gives a restarted server a fresh signal", async () => {
    // Prepare
    const { server } = counterServer();
    await server.start();
    await server.stop();

    // Act
    await server.start();

    // Assess
    expect(server.work.signal.aborted).toBe(false);
    await server.stop();
  });
});
