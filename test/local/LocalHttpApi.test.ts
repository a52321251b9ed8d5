import { afterEach, describe, expect, it } from "vitest";
import { LocalHttpApi } from "../../local/LocalHttpApi";

describe("LocalHttpApi", () => {
  let api: LocalHttpApi | undefined;
  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });

  it("calls the route's handler with a payload format 2.0 event and writes its answer", async () => {
    // Prepare
    const events: Record<string, unknown>[] = [];
    api = await LocalHttpApi.start({
      "POST /jobs/{id}/redrive": async (event) => {
        events.push(event as Record<string, unknown>);
        return { statusCode: 202, headers: { "x-job": "a" }, body: JSON.stringify({ ok: true }) };
      },
    });

    // Act
    const response = await fetch(`${api.url}/jobs/job%201/redrive?force=yes`, {
      method: "POST",
      headers: { "Idempotency-Key": "k-1" },
      body: '{"a":1}',
    });

    // Assess
    expect(response.status).toBe(202);
    expect(response.headers.get("x-job")).toBe("a");
    expect(await response.json()).toEqual({ ok: true });
    expect(events[0]).toMatchObject({
      version: "2.0",
      routeKey: "POST /jobs/{id}/redrive",
      rawPath: "/jobs/job%201/redrive",
      pathParameters: { id: "job 1" },
      queryStringParameters: { force: "yes" },
      headers: { "idempotency-key": "k-1" },
      body: '{"a":1}',
      isBase64Encoded: false,
      requestContext: { http: { method: "POST" } },
    });
  });

  it("answers 404 for an unknown route and 500 when the handler throws", async () => {
    // Prepare
    api = await LocalHttpApi.start({
      "GET /jobs/{id}": async () => {
        throw new Error("boom");
      },
    });

    // Act
    const missing = await fetch(`${api.url}/nothing`);
    const wrongMethod = await fetch(`${api.url}/jobs/a`, { method: "DELETE" });
    const failing = await fetch(`${api.url}/jobs/a`);

    // Assess
    expect(missing.status).toBe(404);
    expect(wrongMethod.status).toBe(404);
    expect(failing.status).toBe(500);
    expect(await failing.json()).toEqual({ message: "Internal Server Error" });
  });
});
