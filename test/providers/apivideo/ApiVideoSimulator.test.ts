import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ApiVideoSimulator } from "../../../functions/providers/apivideo/ApiVideoSimulator";
import {
  problemSchema,
  videoListSchema,
  videoStatusSchema,
} from "../../../functions/providers/apivideo/schemas";

const MIB = 1024 * 1024;
const PROCESSING_MS = 1000;

// The simulator's clock is stepped by hand, so progress checks do not depend on timing.
let now = 1_700_000_000_000;
const simulator = new ApiVideoSimulator({
  processingMs: PROCESSING_MS,
  now: () => now,
  tokenTtlSeconds: 600,
});
let baseUrl = "";
let token = "";

beforeAll(async () => {
  baseUrl = await simulator.start();
  token = (await authenticate()).access_token;
});

afterAll(async () => {
  await simulator.stop();
});

afterEach(() => {
  simulator.server.faults.clear();
});

interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

async function authenticate(apiKey = simulator.apiKey): Promise<TokenAnswer> {
  const response = await fetch(`${baseUrl}/auth/api-key`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ apiKey }),
  });
  return (await response.json()) as TokenAnswer;
}

function call(
  method: string,
  path: string,
  init: { json?: unknown; body?: RequestInit["body"]; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...init.headers };
  if (init.json !== undefined) headers["content-type"] = "application/json";
  return fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: init.json === undefined ? init.body : JSON.stringify(init.json),
  });
}

async function newVideo(body: Record<string, unknown> = {}): Promise<string> {
  const response = await call("POST", "/videos", { json: { title: "Simulated", ...body } });
  expect(response.status).toBe(201);
  return ((await response.json()) as { videoId: string }).videoId;
}

function filePart(bytes: Uint8Array, name = "file", filename = "clip.mp4"): FormData {
  const form = new FormData();
  form.append(name, new Blob([new Uint8Array(bytes)]), filename);
  return form;
}

function sendChunk(videoId: string, bytes: Uint8Array, range?: string, form = filePart(bytes)) {
  return call("POST", `/videos/${videoId}/source`, {
    body: form,
    headers: range === undefined ? {} : { "content-range": range },
  });
}

async function problemOf(response: Response) {
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  return problemSchema.parse(await response.json());
}

async function statusOf(videoId: string) {
  const response = await call("GET", `/videos/${videoId}/status`);
  return videoStatusSchema.parse(await response.json());
}

describe("ApiVideoSimulator authentication", () => {
  it("refuses a wrong key with a 401 problem", async () => {
    // Act
    const response = await fetch(`${baseUrl}/auth/api-key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ apiKey: "not-the-key" }),
    });

    // Assess
    expect(response.status).toBe(401);
    expect(await problemOf(response)).toMatchObject({ status: 401, title: "Authentication failed." });
  });

  it("requires a bearer token, and accepts the key as Basic user name", async () => {
    // Act
    const anonymous = await fetch(`${baseUrl}/videos`);
    const basic = await fetch(`${baseUrl}/videos`, {
      headers: { authorization: `Basic ${Buffer.from(`${simulator.apiKey}:`).toString("base64")}` },
    });

    // Assess
    expect(anonymous.status).toBe(401);
    expect(basic.status).toBe(200);
  });

  it("expires tokens on demand and after their lifetime, while refresh tokens rotate", async () => {
    // Prepare
    const issued = await authenticate();
    const refresh = (refreshToken: string) =>
      fetch(`${baseUrl}/auth/refresh`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ refreshToken }),
      });

    // Act
    simulator.expireTokens();
    const afterExpiry = await fetch(`${baseUrl}/videos`, {
      headers: { authorization: `Bearer ${issued.access_token}` },
    });
    const refreshed = await refresh(issued.refresh_token);
    const fresh = (await refreshed.json()) as TokenAnswer;
    const reused = await refresh(issued.refresh_token);
    const withFresh = await fetch(`${baseUrl}/videos`, {
      headers: { authorization: `Bearer ${fresh.access_token}` },
    });
    now += 601_000;
    const afterLifetime = await fetch(`${baseUrl}/videos`, {
      headers: { authorization: `Bearer ${fresh.access_token}` },
    });
    token = (await authenticate()).access_token;

    // Assess
    expect(issued.expires_in).toBe(600);
    expect(afterExpiry.status).toBe(401);
    expect(refreshed.status).toBe(200);
    expect(reused.status).toBe(401);
    expect(withFresh.status).toBe(200);
    expect(afterLifetime.status).toBe(401);
  });
});

describe("ApiVideoSimulator videos", () => {
  it.each([
    { body: {}, name: "title" },
    { body: { title: "   " }, name: "title" },
    { body: { title: 42 }, name: "title" },
    { body: { title: "ok", source: "ftp://example.com/a.mp4" }, name: "source" },
    { body: { title: "ok", metadata: [{ key: "k" }] }, name: "metadata.0.value" },
  ])("answers 400 naming $name for $body", async ({ body, name }) => {
    // Act
    const response = await call("POST", "/videos", { json: body });

    // Assess
    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ status: 400, name });
  });

  it("filters the list by metadata and pages it", async () => {
    // Prepare
    const tag = `list-${Date.now()}`;
    const ids = [];
    for (let index = 0; index < 3; index += 1)
      ids.push(await newVideo({ metadata: [{ key: "batch", value: tag }] }));
    await newVideo({ metadata: [{ key: "batch", value: "other" }] });

    // Act
    const response = await call("GET", `/videos?metadata[batch]=${tag}&pageSize=2&currentPage=2`);
    const page = videoListSchema.parse(await response.json());

    // Assess
    expect(page.data.map((video) => video.videoId)).toEqual([ids[2]]);
    expect(page.pagination).toMatchObject({ currentPage: 2, pageSize: 2, pagesTotal: 2, itemsTotal: 3 });
    expect(page.pagination.links.map((link) => link.rel)).toContain("previous");
  });

  it("answers unknown videos and routes with a 404 problem", async () => {
    // Act
    const video = await call("GET", "/videos/vi-missing");
    const route = await call("GET", "/nowhere");

    // Assess
    expect(video.status).toBe(404);
    expect((await problemOf(video)).status).toBe(404);
    expect(route.status).toBe(404);
    expect((await problemOf(route)).status).toBe(404);
  });

  it("moves ingest and encoding forward with its clock, playable at half-way", async () => {
    // Prepare
    const videoId = await newVideo({ source: "https://example.com/a.mp4" });
    const at = async (fraction: number) => {
      const started = now;
      now = started + fraction * PROCESSING_MS;
      const status = await statusOf(videoId);
      now = started;
      return status;
    };

    // Act
    const early = await at(0.1);
    const ingesting = await at(0.2);
    const beforeHalf = await at(0.45);
    const half = await at(0.5);
    const end = await at(1);

    // Assess
    expect(early.ingest.status).toBe("uploaded");
    expect(early.encoding.qualities.every((quality) => quality.status === "waiting")).toBe(true);
    expect(ingesting.ingest.status).toBe("ingesting");
    expect(beforeHalf.ingest.status).toBe("ingested");
    expect(beforeHalf.encoding.playable).toBe(false);
    expect(beforeHalf.encoding.qualities[0]?.status).toBe("encoding");
    expect(half.encoding.playable).toBe(true);
    expect(half.encoding.qualities[0]).toMatchObject({ quality: "240p", status: "encoded", type: "hls" });
    expect(end.encoding.qualities.every((quality) => quality.status === "encoded")).toBe(true);
    expect(end.encoding.metadata?.width).toBe(1280);
  });

  it("fails the encoding of a chosen video", async () => {
    // Prepare
    const videoId = await newVideo({ source: "https://example.com/a.mp4" });
    simulator.failEncoding(videoId);

    // Act
    now += PROCESSING_MS;
    const status = await statusOf(videoId);

    // Assess
    expect(status.encoding.playable).toBe(false);
    expect(status.encoding.qualities.map((quality) => quality.status)).toEqual(
      status.encoding.qualities.map(() => "failed"),
    );
  });
});

describe("ApiVideoSimulator upload", () => {
  const small = new Uint8Array(1000).fill(7);
  const chunk = new Uint8Array(5 * MIB).fill(1);

  it("takes a plain upload under any part name and starts processing", async () => {
    // Prepare
    const videoId = await newVideo();

    // Act
    const response = await sendChunk(videoId, small, undefined, filePart(small, "clip.mp4"));
    const status = await statusOf(videoId);

    // Assess
    expect(response.status).toBe(201);
    expect(simulator.video(videoId)?.upload).toMatchObject({ mode: "plain", complete: true, total: 1000 });
    expect(simulator.video(videoId)?.upload?.sha256).toBe(createHash("sha256").update(small).digest("hex"));
    expect(status.ingest.status).toBe("uploaded");
  });

  it.each([
    { why: "a body that is not multipart", body: () => JSON.stringify({ file: "x" }) as RequestInit["body"] },
    {
      why: "two file parts",
      body: () => {
        const form = filePart(small);
        form.append("other", new Blob([new Uint8Array(small)]), "other.mp4");
        return form;
      },
    },
    {
      why: "a part without a file name",
      body: () => {
        const form = new FormData();
        form.append("file", "just text");
        return form;
      },
    },
  ])("refuses $why", async ({ body }) => {
    // Prepare
    const videoId = await newVideo();

    // Act
    const response = await call("POST", `/videos/${videoId}/source`, { body: body() });

    // Assess
    expect(response.status).toBe(400);
    expect((await problemOf(response)).name).toBe("file");
  });

  it("enforces chunk sizes, contiguity and a constant total, and accepts a re-sent chunk", async () => {
    // Prepare
    const videoId = await newVideo();
    const total = 5 * MIB + 1000;

    // Act
    const tooSmall = await sendChunk(videoId, small, `bytes 0-999/${total}`);
    const gap = await sendChunk(videoId, small, `bytes ${5 * MIB}-${total - 1}/${total}`);
    const first = await sendChunk(videoId, chunk, `bytes 0-${5 * MIB - 1}/${total}`);
    const again = await sendChunk(videoId, chunk, `bytes 0-${5 * MIB - 1}/${total}`);
    const otherTotal = await sendChunk(videoId, small, `bytes ${5 * MIB}-${5 * MIB + 999}/${total + 1}`);
    const mixed = await sendChunk(videoId, small, "part 2/2");
    const wrongLength = await sendChunk(videoId, small, `bytes ${5 * MIB}-${total - 2}/${total}`);
    const last = await sendChunk(videoId, small, `bytes ${5 * MIB}-${total - 1}/${total}`);

    // Assess
    for (const refused of [tooSmall, gap, otherTotal, mixed, wrongLength]) {
      expect(refused.status).toBe(400);
      expect((await problemOf(refused)).name).toBe("Content-Range");
    }
    expect([first.status, again.status, last.status]).toEqual([201, 201, 201]);
    expect(simulator.video(videoId)?.upload?.chunks).toEqual([
      { from: 0, to: 5 * MIB - 1, total },
      { from: 5 * MIB, to: total - 1, total },
    ]);
    expect(simulator.video(videoId)?.upload?.complete).toBe(true);
  });

  it("takes numbered parts, the total unknown until the last", async () => {
    // Prepare
    const videoId = await newVideo();

    // Act
    const first = await sendChunk(videoId, chunk, "part 1/*");
    const between = await statusOf(videoId);
    const last = await sendChunk(videoId, small, "part 2/2");

    // Assess
    expect([first.status, last.status]).toEqual([201, 201]);
    expect(between.ingest.status).toBe("uploading");
    expect(simulator.video(videoId)?.upload).toMatchObject({
      mode: "part",
      complete: true,
      total: 5 * MIB + 1000,
    });
  });

  it("refuses an upload to a video created from a URL", async () => {
    // Prepare
    const videoId = await newVideo({ source: "https://example.com/a.mp4" });

    // Act
    const response = await sendChunk(videoId, small);

    // Assess
    expect(response.status).toBe(400);
  });
});

describe("ApiVideoSimulator faults", () => {
  it("says 429 the api.video way: rate-limit headers and a problem", async () => {
    // Prepare
    simulator.server.faults.rateLimit({ times: 1, retryAfterSeconds: 9 });

    // Act
    const response = await call("GET", "/videos");

    // Assess
    expect(response.status).toBe(429);
    expect(response.headers.get("x-ratelimit-retry-after")).toBe("9");
    expect(response.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(response.headers.get("x-ratelimit-limit")).toMatch(/^\d+$/);
    expect((await problemOf(response)).status).toBe(429);
  });

  it("says 503 with a problem", async () => {
    // Prepare
    simulator.server.faults.unavailable({ times: 1 });

    // Act
    const response = await call("GET", "/videos");

    // Assess
    expect(response.status).toBe(503);
    expect((await problemOf(response)).status).toBe(503);
  });
});
