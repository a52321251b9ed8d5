import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ProviderHttpClient } from "../../../functions/providers/core/ProviderHttpClient";
import {
  type RouteTable,
  SimulatorServer,
} from "../../../functions/providers/core/simulator/SimulatorServer";

/** A provider of things over 127.0.0.1: a POST creates one, a GET reads one. */
function thingServer() {
  const state = { created: 0 };
  const routes: RouteTable = {
    "POST /things": () => {
      state.created += 1;
      return { status: 201, body: { id: `t${state.created}` } };
    },
    "POST /auth/token": () => ({ status: 200, body: { id: "token" } }),
    "GET /things/:id": (request) => ({ status: 200, body: { id: request.params.id } }),
  };
  const server = new SimulatorServer("things", routes, {
    rateLimited: () => ({ status: 429, body: {} }),
    unavailable: (status) => ({ status, body: {} }),
    notFound: () => ({ status: 404, body: {} }),
  });
  return { server, state };
}

const thing = z.object({ id: z.string() });
const getThing = { operation: "getThing", method: "GET", path: "/things/t1", schema: thing } as const;
const createThing = { operation: "createThing", method: "POST", path: "/things", schema: thing } as const;
const exchangeToken = {
  operation: "exchangeToken",
  method: "POST",
  path: "/auth/token",
  schema: thing,
  idempotent: true,
} as const;

function clientFor(baseUrl: string) {
  return new ProviderHttpClient({ provider: "things", baseUrl, describeError: () => undefined });
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe("ProviderHttpClient over real sockets: what a retry can fix is retryable", () => {
  let stop: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  async function started() {
    const provider = thingServer();
    const baseUrl = await provider.server.start();
    stop = () => provider.server.stop();
    return { ...provider, client: clientFor(baseUrl) };
  }

  it.each([
    ["a connection dropped before the provider acted", "dropConnection"],
    ["a connection dropped after the provider acted", "dropAnswer"],
    ["a 200 whose body is not JSON", "malformedBody"],
  ] as const)("retries a GET that met %s, then reads it", async (_label, fault) => {
    // Prepare
    const { server, client } = await started();
    server.faults[fault]({ times: 1, route: "GET /things/:id" });

    // Act
    const error = await failureOf(client.request(getThing));
    const retried = await client.request(getThing);

    // Assess
    expect(error).toMatchObject({ name: "ProviderUnavailableError", retryable: true });
    expect(retried).toEqual({ id: "t1" });
  });

  it("retries a token exchange (an idempotent POST) whose answer was lost or unreadable", async () => {
    // Prepare
    const { server, client } = await started();
    server.faults.dropAnswer({ times: 1, route: "POST /auth/token" });
    server.faults.malformedBody({ times: 1, route: "POST /auth/token" });

    // Act
    const dropped = await failureOf(client.request(exchangeToken));
    const malformed = await failureOf(client.request(exchangeToken));

    // Assess
    expect(dropped).toMatchObject({ name: "ProviderUnavailableError" });
    expect(malformed).toMatchObject({ name: "ProviderUnavailableError" });
  });

  it("never calls a create retryable when it was acted on but its answer is unreadable or lost", async () => {
    // Prepare
    const { server, state, client } = await started();
    server.faults.malformedBody({ times: 1, route: "POST /things" });
    server.faults.dropAnswer({ times: 1, route: "POST /things" });

    // Act
    const malformed = await failureOf(client.request(createThing));
    const dropped = await failureOf(client.request(createThing));

    // Assess: both creates happened at the provider, and neither error invites a blind retry.
    expect(malformed).toMatchObject({ name: "ProviderOutcomeUnknownError", retryable: false, status: 201 });
    expect(dropped).toMatchObject({ name: "ProviderOutcomeUnknownError", retryable: false });
    expect(state.created).toBe(2);
  });
});

describe("ProviderHttpClient and an answer cut short", () => {
  let server: Server | undefined;

  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it("retries a GET whose body stopped half way, and calls a create's outcome unknown", async () => {
    // Prepare: headers promise 100 bytes, 10 arrive, then the socket closes.
    server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      response.write('{"id": "t1');
      setImmediate(() => response.socket?.destroy());
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const client = clientFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);

    // Act
    const read = await failureOf(client.request(getThing));
    const create = await failureOf(client.request(createThing));

    // Assess
    expect(read).toMatchObject({ name: "ProviderUnavailableError" });
    expect((read as Error).message).toContain("connection lost while reading the answer");
    expect(create).toMatchObject({ name: "ProviderOutcomeUnknownError" });
  });
});
