import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import {
  type Fetch,
  ProviderHttpClient,
  parseRetryAfter,
} from "../../functions/providers/core/ProviderHttpClient";
import { redactSecrets } from "../../functions/providers/core/redactSecrets";

const Thing = z.object({ id: z.string() });
const SECRET = "sk_live_do_not_print";

/** A transport answering from a list, recording what was sent: no network in unit tests. */
function scripted(...answers: (Response | Error)[]) {
  const sent: { url: string; init: RequestInit }[] = [];
  const fetch: Fetch = async (url, init) => {
    sent.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error("no more answers scripted");
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, sent };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function client(fetch: Fetch, refresh?: () => Promise<void>) {
  return new ProviderHttpClient({
    provider: "acme",
    baseUrl: "https://api.acme.test/v1/",
    fetch,
    authorizer: {
      headers: async () => ({ authorization: `Bearer ${SECRET}` }),
      ...(refresh ? { refresh } : {}),
    },
    describeError: (_status, body) => {
      const error = (body as { error?: { message?: string; field?: string } } | undefined)?.error;
      return error?.message
        ? { message: error.message, ...(error.field ? { field: error.field } : {}) }
        : undefined;
    },
    retryAfterHeader: "x-retry-in",
  });
}

const getThing = { operation: "getThing", method: "GET", path: "/things/1", schema: Thing } as const;

describe("ProviderHttpClient", () => {
  it("sends JSON with the credentials and parses the answer against its schema", async () => {
    // Prepare
    const { fetch, sent } = scripted(json(200, { id: "t1", extra: true }));

    // Act
    const thing = await client(fetch).request({
      ...getThing,
      method: "POST",
      json: { name: "a" },
      query: { q: 1, skip: undefined },
    });

    // Assess
    expect(thing).toEqual({ id: "t1" });
    expect(sent[0]?.url).toBe("https://api.acme.test/v1/things/1?q=1");
    expect(sent[0]?.init.body).toBe('{"name":"a"}');
    expect((sent[0]?.init.headers as Record<string, string> | undefined)?.authorization).toBe(
      `Bearer ${SECRET}`,
    );
  });

  it("maps 429 to RateLimitedError with the provider's own retry advice", async () => {
    const { fetch } = scripted(json(429, { error: { message: "slow down" } }, { "x-retry-in": "17" }));
    await expect(client(fetch).request(getThing)).rejects.toMatchObject({
      name: "RateLimitedError",
      retryAfterSeconds: 17,
      status: 429,
    });
  });

  it("maps 5xx, timeouts and resets to ProviderUnavailableError", async () => {
    const reset = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });
    const timeout = Object.assign(new Error("timed out"), { name: "TimeoutError" });
    const { fetch } = scripted(json(502, {}), reset, timeout);
    const acme = client(fetch);
    await expect(acme.request(getThing)).rejects.toMatchObject({
      name: "ProviderUnavailableError",
      status: 502,
    });
    await expect(acme.request(getThing)).rejects.toThrow(/ECONNRESET/);
    await expect(acme.request(getThing)).rejects.toThrow(/no answer within 30000 ms/);
  });

  it("does not call a lost answer to a create retryable: its outcome is unknown", async () => {
    // Prepare
    const reset = () => Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } });
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const { fetch } = scripted(reset(), reset(), refused);
    const acme = client(fetch);
    const create = { ...getThing, method: "POST" } as const;

    // Act + Assess
    await expect(acme.request(create)).rejects.toMatchObject({ name: "ProviderOutcomeUnknownError" });
    await expect(acme.request({ ...create, idempotent: true })).rejects.toMatchObject({
      name: "ProviderUnavailableError",
    });
    await expect(acme.request(create)).rejects.toMatchObject({ name: "ProviderUnavailableError" });
  });

  it("maps 4xx to ProviderRejectedError with the provider's message and field", async () => {
    const { fetch } = scripted(json(400, { error: { message: "title is too long", field: "title" } }));
    const error = await client(fetch)
      .request(getThing)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: "ProviderRejectedError", field: "title", status: 400 });
    expect((error as Error).message).toContain("title is too long");
  });

  it("refreshes credentials once on a 401, then gives up with ProviderAuthError", async () => {
    // Prepare
    const refresh = vi.fn(async () => undefined);
    const { fetch, sent } = scripted(json(401, {}), json(401, { error: { message: "key revoked" } }));

    // Act
    const error = await client(fetch, refresh)
      .request(getThing)
      .catch((caught: unknown) => caught);

    // Assess
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(sent).toHaveLength(2);
    expect(error).toMatchObject({ name: "ProviderAuthError" });
  });

  it("succeeds when the refreshed credentials are accepted", async () => {
    const { fetch } = scripted(json(401, {}), json(200, { id: "t2" }));
    await expect(client(fetch, async () => undefined).request(getThing)).resolves.toEqual({ id: "t2" });
  });

  it("retries a GET whose answer breaks the contract or is not JSON, naming the field, like a 5xx", async () => {
    // Prepare
    const { fetch } = scripted(json(200, { id: 42 }), new Response("<html>", { status: 200 }));
    const acme = client(fetch);

    // Act
    const offContract = await acme.request(getThing).catch((caught: unknown) => caught);
    const notJson = await acme.request(getThing).catch((caught: unknown) => caught);

    // Assess
    expect(offContract).toMatchObject({ name: "ProviderUnavailableError", retryable: true, status: 200 });
    expect((offContract as Error).message).toContain("id: ");
    expect(notJson).toMatchObject({ name: "ProviderUnavailableError", retryable: true });
    expect((notJson as Error).message).toContain("answer is not JSON (HTTP 200)");
  });

  it("retries an idempotent POST (a token exchange, an upload range) whose answer is not JSON", async () => {
    const { fetch } = scripted(new Response("<html>", { status: 200 }));
    await expect(
      client(fetch).request({ ...getThing, method: "POST", idempotent: true }),
    ).rejects.toMatchObject({ name: "ProviderUnavailableError" });
  });

  it("calls the outcome of a create whose success is unreadable unknown: it was acted on, its id is lost", async () => {
    // Prepare
    const { fetch } = scripted(new Response("<html>", { status: 201 }), json(200, { id: 42 }));
    const acme = client(fetch);
    const create = { ...getThing, operation: "createThing", method: "POST", json: { name: "a" } } as const;

    // Act
    const notJson = await acme.request(create).catch((caught: unknown) => caught);
    const offContract = await acme.request(create).catch((caught: unknown) => caught);

    // Assess
    expect(notJson).toMatchObject({ name: "ProviderOutcomeUnknownError", retryable: false, status: 201 });
    expect((notJson as Error).message).toMatch(/createThing: answer is not JSON .*not sent again blindly/);
    expect(offContract).toMatchObject({ name: "ProviderOutcomeUnknownError" });
  });

  it("never puts credentials into an error", async () => {
    const { fetch } = scripted(json(403, { error: { message: "forbidden" } }));
    const error = (await client(fetch)
      .request(getThing)
      .catch((caught: unknown) => caught)) as Error;
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain(SECRET);
  });
});

describe("ProviderHttpClient secrets", () => {
  const KEY = "key_live_1234567890";

  function echoing(...answers: Response[]) {
    const { fetch, sent } = scripted(...answers);
    const acme = new ProviderHttpClient({
      provider: "acme",
      baseUrl: "https://api.acme.test",
      fetch,
      authorizer: { headers: async () => ({ "x-api-key": KEY, authorization: `Bearer ${SECRET}` }) },
      describeError: (_status, body) => {
        const message = (body as { message?: string } | undefined)?.message;
        return message ? { message } : undefined;
      },
      secrets: () => [KEY, SECRET, ""],
    });
    return { acme, sent };
  }

  it.each([
    [
      "a described 4xx",
      json(400, { message: `no such key ${KEY} (token ${SECRET})` }),
      "ProviderRejectedError",
    ],
    ["a plain-text 401", new Response(`refused ${KEY}`, { status: 401 }), "ProviderAuthError"],
    ["a 429", json(429, { message: `slow down, ${SECRET}` }), "RateLimitedError"],
  ])("hides every secret in the message and stack of %s", async (_label, answer, name) => {
    // Prepare
    const { acme } = echoing(answer);

    // Act
    const error = (await acme.request(getThing).catch((caught: unknown) => caught)) as Error;

    // Assess
    expect(error.name).toBe(name);
    expect(error.message).toContain("[redacted]");
    for (const text of [error.message, String(error.stack), JSON.stringify(error)]) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain(SECRET);
    }
  });

  it("hides a secret before a raw answer is cut short, so no part of it survives the cut", async () => {
    // Prepare: the first 200 characters of the answer end six characters into the key.
    const { acme } = echoing(new Response(`<html>${"x".repeat(188)}${KEY}</html>`, { status: 502 }));

    // Act
    const error = (await acme.request(getThing).catch((caught: unknown) => caught)) as Error;

    // Assess
    expect(error.name).toBe("ProviderUnavailableError");
    expect(error.message).not.toContain(KEY.slice(0, 6));
  });

  it("hides secrets in an error cause too: a JSON parse error quotes the body it choked on", async () => {
    // Prepare
    const { acme } = echoing(new Response(`{"id": ${KEY}`, { status: 200 }));

    // Act
    const error = (await acme.request(getThing).catch((caught: unknown) => caught)) as Error;

    // Assess
    expect(error.name).toBe("ProviderUnavailableError");
    expect(error.cause).toBeInstanceOf(Error);
    expect(`${(error.cause as Error).message}\n${(error.cause as Error).stack}`).not.toContain(KEY);
  });

  it("asks for the secrets each time, so a rotated token is hidden too", async () => {
    // Prepare
    const held = ["first-token"];
    const { fetch } = scripted(
      json(400, { message: "bad first-token" }),
      json(400, { message: "bad second-token" }),
    );
    const acme = new ProviderHttpClient({
      provider: "acme",
      baseUrl: "https://api.acme.test",
      fetch,
      describeError: (_status, body) => ({ message: (body as { message: string }).message }),
      secrets: () => held,
    });

    // Act
    const first = (await acme.request(getThing).catch((caught: unknown) => caught)) as Error;
    held.push("second-token");
    const second = (await acme.request(getThing).catch((caught: unknown) => caught)) as Error;

    // Assess
    expect(first.message).toContain("bad [redacted]");
    expect(second.message).toContain("bad [redacted]");
  });
});

describe("redactSecrets", () => {
  it("hides the longest secret first and leaves an error without secrets as it was", () => {
    // Prepare
    const error = new Error("abc-long and abc", { cause: new Error("abc again") });

    // Act
    const same = redactSecrets(error, ["abc", "abc-long", ""]);
    const untouched = redactSecrets(new Error("nothing here"), ["abc"]);

    // Assess
    expect(same).toBe(error);
    expect(error.message).toBe("[redacted] and [redacted]");
    expect((error.cause as Error).message).toBe("[redacted] again");
    expect(untouched.message).toBe("nothing here");
  });
});

describe("ProviderHttpClient requests", () => {
  it("streams a ReadableStream body with duplex half, as Node's fetch requires", async () => {
    // Prepare
    const { fetch, sent } = scripted(json(200, { id: "t1" }));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([1, 2, 3]));
        controller.close();
      },
    });

    // Act
    await client(fetch).request({ ...getThing, method: "PUT", body, idempotent: true });

    // Assess
    expect((sent[0]?.init as { duplex?: string } | undefined)?.duplex).toBe("half");
  });

  it("sends to an absolute URL without credentials and ignores a success body it has no schema for", async () => {
    // Prepare
    const { fetch, sent } = scripted(new Response("<xml>stored</xml>", { status: 200 }));

    // Act
    const answer = await client(fetch).request({
      operation: "uploadBytes",
      method: "PUT",
      absoluteUrl: "https://storage.example/slot/1?X-Amz-Signature=abc",
      anonymous: true,
      body: "bytes",
    });

    // Assess
    expect(answer).toBeUndefined();
    expect(sent[0]?.url).toBe("https://storage.example/slot/1?X-Amz-Signature=abc");
    expect(sent[0]?.init.headers).toMatchObject({ accept: "application/json" });
    expect((sent[0]?.init.headers as Record<string, string> | undefined)?.authorization).toBeUndefined();
  });

  it("reads an error of another party with the request's own describeError", async () => {
    // Prepare
    const { fetch } = scripted(new Response("<Error>SignatureDoesNotMatch</Error>", { status: 403 }));

    // Act
    const error = (await client(fetch)
      .request({
        operation: "uploadBytes",
        method: "PUT",
        absoluteUrl: "https://storage.example/slot/1",
        anonymous: true,
        describeError: (status) => ({ message: `storage refused the bytes (HTTP ${status})` }),
      })
      .catch((caught: unknown) => caught)) as Error;

    // Assess
    expect(error.name).toBe("ProviderAuthError");
    expect(error.message).toContain("storage refused the bytes (HTTP 403)");
    expect(error.message).not.toContain("SignatureDoesNotMatch");
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, and clamps nonsense", () => {
    const now = Date.parse("2026-11-23T10:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3);
    expect(parseRetryAfter("Mon, 23 Nov 2026 10:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfter(null, now)).toBe(5);
    expect(parseRetryAfter("0", now)).toBe(1);
    expect(parseRetryAfter("999999", now)).toBe(3600);
    expect(parseRetryAfter("soon", now)).toBe(5);
  });
});
