import { createHash, createHmac, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ApiVideoClient,
  type ApiVideoClientOptions,
  type ApiVideoStatus,
  describeApiVideoError,
  verifyApiVideoSignature,
} from "../../../functions/providers/apivideo/ApiVideoClient";
import { ApiVideoSimulator } from "../../../functions/providers/apivideo/ApiVideoSimulator";
import { type ByteSource, bytesSource } from "../../../functions/providers/core/ByteSource";
import {
  ProviderAuthError,
  ProviderRejectedError,
  ProviderUnavailableError,
  RateLimitedError,
} from "../../../functions/providers/core/errors";
import type { Fetch } from "../../../functions/providers/core/ProviderHttpClient";

const MIB = 1024 * 1024;
const FILE_SIZE = 11 * MIB;
const CHUNK = 5 * MIB;

const simulator = new ApiVideoSimulator({ processingMs: 150 });
let baseUrl = "";

beforeAll(async () => {
  baseUrl = await simulator.start();
});

afterAll(async () => {
  await simulator.stop();
});

afterEach(() => {
  simulator.server.faults.clear();
});

function newClient(overrides: Partial<ApiVideoClientOptions> = {}): ApiVideoClient {
  return new ApiVideoClient({ baseUrl, apiKey: simulator.apiKey, ...overrides });
}

/** A job id no other test uses: the simulator is shared by the whole file. */
function jobId(): string {
  return `job-${randomUUID()}`;
}

/** Bytes that differ from chunk to chunk, so a misplaced chunk changes the checksum. */
function generatedFile(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index += 1) bytes[index] = (index * 31 + (index >>> 13)) & 0xff;
  return bytes;
}

const FILE = generatedFile(FILE_SIZE);
const FILE_SHA256 = createHash("sha256").update(FILE).digest("hex");

/** A ByteSource that records every range read from it. */
function recordingSource(bytes: Uint8Array): { source: ByteSource; reads: [number, number][] } {
  const inner = bytesSource("generated.mp4", bytes);
  const reads: [number, number][] = [];
  return {
    reads,
    source: {
      name: inner.name,
      size: inner.size,
      read: (start, end) => {
        reads.push([start, end]);
        return inner.read(start, end);
      },
    },
  };
}

async function pollStatus(
  client: ApiVideoClient,
  videoId: string,
  until: (status: ApiVideoStatus) => boolean,
  seen: ApiVideoStatus[] = [],
): Promise<ApiVideoStatus> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const status = await client.getStatus(videoId);
    seen.push(status);
    if (until(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  throw new Error(`video ${videoId} never reached the expected status`);
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("ApiVideoClient authentication", () => {
  it("exchanges the key once, then refreshes the token shortly before it expires", async () => {
    // Prepare
    let now = 1_700_000_000_000;
    const client = newClient({ now: () => now });
    const keyExchanges = simulator.server.count("POST /auth/api-key");
    const refreshes = simulator.server.count("POST /auth/refresh");
    const video = await client.createVideo({ jobId: jobId(), title: "token lifecycle" });

    // Act
    now += 50 * 60_000;
    await client.getVideo(video.videoId);
    const refreshesAt50Minutes = simulator.server.count("POST /auth/refresh") - refreshes;
    now += 9 * 60_000 + 30_000;
    await client.getVideo(video.videoId);
    await client.getVideo(video.videoId);

    // Assess
    expect(refreshesAt50Minutes).toBe(0);
    expect(simulator.server.count("POST /auth/refresh") - refreshes).toBe(1);
    expect(simulator.server.count("POST /auth/api-key") - keyExchanges).toBe(1);
  });

  it("shares one key exchange between concurrent first requests", async () => {
    // Prepare
    const client = newClient();
    const keyExchanges = simulator.server.count("POST /auth/api-key");

    // Act
    await Promise.all([
      client.findVideoByJobId(jobId()),
      client.findVideoByJobId(jobId()),
      client.findVideoByJobId(jobId()),
    ]);

    // Assess
    expect(simulator.server.count("POST /auth/api-key") - keyExchanges).toBe(1);
  });

  it("authenticates again, once, when api.video refuses a token it has expired", async () => {
    // Prepare
    const client = newClient();
    const video = await client.createVideo({ jobId: jobId(), title: "expired token" });
    simulator.expireTokens();
    const keyExchanges = simulator.server.count("POST /auth/api-key");
    const reads = simulator.server.count("GET /videos/:videoId");

    // Act
    const read = await client.getVideo(video.videoId);

    // Assess
    expect(read.videoId).toBe(video.videoId);
    expect(simulator.server.count("POST /auth/api-key") - keyExchanges).toBe(1);
    expect(simulator.server.count("GET /videos/:videoId") - reads).toBe(2);
    const statuses = simulator.server.log
      .filter((entry) => entry.route === "/videos/:videoId")
      .map((e) => e.status);
    expect(statuses.slice(-2)).toEqual([401, 200]);
  });

  it("stops after one fresh token when that one is refused too", async () => {
    // Prepare: every token dies as soon as it is issued.
    const expiring: Fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (input.endsWith("/auth/api-key")) simulator.expireTokens();
      return response;
    };
    const client = newClient({ fetch: expiring });
    const keyExchanges = simulator.server.count("POST /auth/api-key");
    const statusReads = simulator.server.count("GET /videos/:videoId/status");

    // Act
    const error = await failureOf(client.getStatus("vi-anything"));

    // Assess
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as ProviderAuthError).status).toBe(401);
    expect(simulator.server.count("POST /auth/api-key") - keyExchanges).toBe(2);
    expect(simulator.server.count("GET /videos/:videoId/status") - statusReads).toBe(2);
  });

  it("reports a wrong key as ProviderAuthError without ever quoting the key", async () => {
    // Prepare
    const wrongKey = "wrong-key-5f2c91d7e0";
    const client = newClient({ apiKey: wrongKey });

    // Act
    const error = await failureOf(client.getVideo("vi-anything"));

    // Assess
    expect(error).toBeInstanceOf(ProviderAuthError);
    const authError = error as ProviderAuthError;
    expect(authError.operation).toBe("authenticate");
    expect(authError.status).toBe(401);
    expect(authError.message).toContain("Authentication failed");
    for (const text of [authError.message, JSON.stringify(authError), JSON.stringify(authError.toDetail())]) {
      expect(text).not.toContain(wrongKey);
    }
  });
});

describe("ApiVideoClient secrets", () => {
  it("redacts the key and tokens even when the provider echoes them back", async () => {
    // Prepare: a broken server that quotes our Authorization header and key in its error.
    let issuedToken = "";
    const echoing: Fetch = async (input, init) => {
      if (input.endsWith("/auth/api-key")) {
        const response = await fetch(input, init);
        issuedToken = ((await response.clone().json()) as { access_token: string }).access_token;
        return response;
      }
      const headers = init.headers as Record<string, string>;
      const detail = `debug: authorization=${headers.authorization} apiKey=${simulator.apiKey}`;
      return new Response(JSON.stringify({ title: "Internal error.", status: 500, detail }), { status: 500 });
    };
    const client = newClient({ fetch: echoing });

    // Act
    const error = await failureOf(client.getVideo("vi-anything"));

    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(issuedToken).not.toBe("");
    expect(error.message).toContain("[redacted]");
    for (const text of [error.message, JSON.stringify(error)]) {
      expect(text).not.toContain(issuedToken);
      expect(text).not.toContain(simulator.apiKey);
    }
  });

  it("redacts the key from a plain-text answer to the key exchange", async () => {
    // Prepare
    const echoing: Fetch = async (_input, init) =>
      new Response(`no such key in ${String(init.body)}`, { status: 401, statusText: "Unauthorized" });
    const client = newClient({ fetch: echoing });

    // Act
    const error = await failureOf(client.createVideo({ jobId: jobId(), title: "never sent" }));

    // Assess
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect(error.message).toContain("[redacted]");
    expect(error.message).not.toContain(simulator.apiKey);
  });
});

describe("ApiVideoClient videos", () => {
  it("creates a video from a URL, follows its status until playable and hands out reachable assets", async () => {
    // Prepare
    const client = newClient();
    const id = jobId();

    // Act
    const created = await client.createVideo({
      jobId: id,
      title: "From a URL",
      source: "https://example.com/a.mp4",
    });
    const seen: ApiVideoStatus[] = [];
    const playable = await pollStatus(client, created.videoId, (status) => status.encoding.playable, seen);
    const video = await client.getVideo(created.videoId);
    const manifest = await fetch(video.assets.hls);

    // Assess
    expect(created.metadata).toEqual([{ key: "vidstepJobId", value: id }]);
    expect(seen[0]?.encoding.playable).toBe(false);
    expect(playable.ingest.status).toBe("ingested");
    expect(playable.encoding.qualities.some((quality) => quality.status === "encoded")).toBe(true);
    expect(video.assets.hls).toBe(`${baseUrl}/vod/${created.videoId}/hls/manifest.m3u8`);
    expect(video.assets.player.startsWith(baseUrl)).toBe(true);
    expect(video.assets.iframe).toContain(video.assets.player);
    expect(video.assets.mp4).toBeDefined();
    expect(manifest.status).toBe(200);
    expect(await manifest.text()).toContain("#EXTM3U");
  });

  it("reports a failed encoding as failed qualities that never become playable", async () => {
    // Prepare
    const client = newClient();
    simulator.failNextEncoding();

    // Act
    const created = await client.createVideo({
      jobId: jobId(),
      title: "Broken",
      source: "https://example.com/b.mp4",
    });
    const failed = await pollStatus(client, created.videoId, (status) =>
      status.encoding.qualities.every((quality) => quality.status === "failed"),
    );

    // Assess
    expect(failed.encoding.playable).toBe(false);
    expect(failed.encoding.qualities.length).toBeGreaterThan(0);
  });

  it("finds the video a job created earlier, and no other", async () => {
    // Prepare
    const client = newClient();
    const mine = jobId();
    const created = await client.createVideo({ jobId: mine, title: "Mine" });
    await client.createVideo({ jobId: jobId(), title: "Someone else's" });

    // Act
    const found = await client.findVideoByJobId(mine);
    const missing = await client.findVideoByJobId(jobId());

    // Assess
    expect(found?.videoId).toBe(created.videoId);
    expect(missing).toBeUndefined();
  });

  it.each([
    { input: { title: "" }, field: "title" },
    { input: { title: "Bad source", source: "not a url" }, field: "source" },
  ])("turns a 400 into ProviderRejectedError naming $field", async ({ input, field }) => {
    // Prepare
    const client = newClient();

    // Act
    const error = await failureOf(client.createVideo({ jobId: jobId(), ...input }));

    // Assess
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect((error as ProviderRejectedError).field).toBe(field);
    expect((error as ProviderRejectedError).status).toBe(400);
    expect(error.message).toContain(`field: ${field}`);
  });

  it("creates a webhook and returns its signature secret", async () => {
    // Prepare
    const client = newClient();

    // Act
    const webhook = await client.createWebhook({
      url: "http://127.0.0.1:9/hook",
      events: ["video.encoding.quality.completed"],
    });

    // Assess
    expect(webhook.webhookId).toMatch(/^webhook_/);
    expect(webhook.signatureSecret.length).toBeGreaterThan(10);
  });
});

describe("ApiVideoClient upload", () => {
  it("uploads an 11 MiB file as three ranged chunks, reading one chunk at a time", async () => {
    // Prepare
    const client = newClient();
    const created = await client.createVideo({ jobId: jobId(), title: "Chunked" });
    const { source, reads } = recordingSource(FILE);
    const requests = simulator.server.count("POST /videos/:videoId/source");

    // Act
    const result = await client.uploadSource(created.videoId, source, { chunkSizeBytes: CHUNK });

    // Assess
    expect(result).toMatchObject({ done: true, nextOffset: FILE_SIZE });
    expect(result.video?.videoId).toBe(created.videoId);
    expect(simulator.server.count("POST /videos/:videoId/source") - requests).toBe(3);
    const expected: [number, number][] = [
      [0, CHUNK - 1],
      [CHUNK, 2 * CHUNK - 1],
      [2 * CHUNK, FILE_SIZE - 1],
    ];
    expect(reads).toEqual(expected);
    const upload = simulator.video(created.videoId)?.upload;
    expect(upload?.chunks).toEqual(expected.map(([from, to]) => ({ from, to, total: FILE_SIZE })));
    expect(upload?.sha256).toBe(FILE_SHA256);
    expect((await client.getStatus(created.videoId)).ingest.status).not.toBe("uploading");
  });

  it("stops between chunks when told to, and resumes from fromOffset", async () => {
    // Prepare
    const client = newClient();
    const created = await client.createVideo({ jobId: jobId(), title: "Resumed" });
    const requests = simulator.server.count("POST /videos/:videoId/source");

    // Act
    const first = await client.uploadSource(created.videoId, bytesSource("resumed.mp4", FILE), {
      chunkSizeBytes: CHUNK,
      shouldContinue: () => false,
    });
    const afterFirst = simulator.server.count("POST /videos/:videoId/source") - requests;
    const statusBetween = await client.getStatus(created.videoId);
    const { source, reads } = recordingSource(FILE);
    const second = await client.uploadSource(created.videoId, source, {
      chunkSizeBytes: CHUNK,
      fromOffset: first.nextOffset,
    });

    // Assess
    expect(first).toEqual({ done: false, nextOffset: CHUNK });
    expect(afterFirst).toBe(1);
    expect(statusBetween.ingest.status).toBe("uploading");
    expect(reads[0]).toEqual([CHUNK, 2 * CHUNK - 1]);
    expect(second).toMatchObject({ done: true, nextOffset: FILE_SIZE });
    expect(simulator.server.count("POST /videos/:videoId/source") - requests).toBe(3);
    expect(simulator.video(created.videoId)?.upload?.sha256).toBe(FILE_SHA256);
  });

  it("reports a finished upload without sending anything when resumed at the end", async () => {
    // Prepare
    const client = newClient();
    const created = await client.createVideo({ jobId: jobId(), title: "Already sent" });
    const small = bytesSource("small.mp4", FILE.subarray(0, 1000));
    await client.uploadSource(created.videoId, small);
    const requests = simulator.server.count("POST /videos/:videoId/source");

    // Act
    const result = await client.uploadSource(created.videoId, small, { fromOffset: 1000 });

    // Assess
    expect(result).toMatchObject({ done: true, nextOffset: 1000 });
    expect(result.video?.videoId).toBe(created.videoId);
    expect(simulator.server.count("POST /videos/:videoId/source")).toBe(requests);
  });

  it.each([
    {
      why: "an empty source",
      source: bytesSource("empty.mp4", new Uint8Array(0)),
      fromOffset: 0,
      names: "source.size",
    },
    {
      why: "an offset past the end",
      source: bytesSource("x.mp4", FILE),
      fromOffset: FILE_SIZE + 1,
      names: "fromOffset",
    },
    { why: "a negative offset", source: bytesSource("x.mp4", FILE), fromOffset: -1, names: "fromOffset" },
  ])("refuses $why before sending anything", async ({ source, fromOffset, names }) => {
    // Prepare
    const client = newClient();
    const requests = simulator.server.log.length;

    // Act
    const error = await failureOf(client.uploadSource("vi-any", source, { fromOffset }));

    // Assess
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toContain(names);
    expect(simulator.server.log.length).toBe(requests);
  });

  it.each([4 * MIB, 128 * MIB + 1, 5.5 * MIB + 0.5])(
    "refuses chunkSizeBytes %d before sending anything",
    async (chunkSizeBytes) => {
      // Prepare
      const client = newClient();
      const requests = simulator.server.log.length;

      // Act
      const error = await failureOf(
        client.uploadSource("vi-any", bytesSource("x.mp4", FILE), { chunkSizeBytes }),
      );

      // Assess
      expect(error).toBeInstanceOf(RangeError);
      expect(error.message).toContain("chunkSizeBytes");
      expect(error.message).toContain(String(chunkSizeBytes));
      expect(simulator.server.log.length).toBe(requests);
    },
  );
});

describe("ApiVideoClient failures", () => {
  let client: ApiVideoClient;
  let videoId = "";

  beforeAll(async () => {
    client = newClient({ timeoutMs: 150 });
    videoId = (await client.createVideo({ jobId: jobId(), title: "Faults" })).videoId;
  });

  it("turns a 429 into RateLimitedError with api.video's X-RateLimit-Retry-After", async () => {
    // Prepare
    simulator.server.faults.rateLimit({
      times: 1,
      route: "GET /videos/:videoId/status",
      retryAfterSeconds: 17,
    });

    // Act
    const error = await failureOf(client.getStatus(videoId));

    // Assess
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(17);
    expect((error as RateLimitedError).status).toBe(429);
  });

  it("turns a 503 into ProviderUnavailableError", async () => {
    // Prepare
    simulator.server.faults.unavailable({ times: 1, route: "GET /videos/:videoId/status" });

    // Act
    const error = await failureOf(client.getStatus(videoId));

    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).status).toBe(503);
  });

  it("turns a dropped connection into ProviderUnavailableError", async () => {
    // Prepare
    simulator.server.faults.dropConnection({ times: 1, route: "GET /videos/:videoId" });

    // Act
    const error = await failureOf(client.getVideo(videoId));

    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).status).toBeUndefined();
  });

  it("turns a read whose body is not JSON into a retryable ProviderUnavailableError", async () => {
    // Prepare
    simulator.server.faults.malformedBody({ times: 1, route: "GET /videos/:videoId/status" });

    // Act
    const error = await failureOf(client.getStatus(videoId));

    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
  });

  it("turns a read outside the contract into a retryable error naming the field", async () => {
    // Prepare
    const odd: Fetch = async (input, init) =>
      input.includes("/auth/")
        ? fetch(input, init)
        : Response.json({ ingest: { status: "teleported" }, encoding: { playable: true, qualities: [] } });
    const oddClient = newClient({ fetch: odd });

    // Act
    const error = await failureOf(oddClient.getStatus(videoId));

    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toContain("ingest.status");
  });

  it("turns a slow answer into ProviderUnavailableError after timeoutMs", async () => {
    // Prepare
    simulator.server.faults.addLatency(600);

    // Act
    const error = await failureOf(client.getStatus(videoId));

    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error.message).toContain("no answer within 150 ms");
  });
});

describe("ApiVideoClient webhooks", () => {
  interface Received {
    headers: IncomingHttpHeaders;
    body: string;
  }
  const received: Received[] = [];
  const hooks = new ApiVideoSimulator({ processingMs: 100 });
  let receiver: Server;
  let receiverUrl = "";

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/apivideo`;
    await hooks.start();
  });

  afterAll(async () => {
    await hooks.stop();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it("delivers one signed quality.completed event per rendition to the subscribed URL", async () => {
    // Prepare
    const client = new ApiVideoClient({ baseUrl: hooks.baseUrl, apiKey: hooks.apiKey });
    const { signatureSecret } = await client.createWebhook({
      url: receiverUrl,
      events: ["video.encoding.quality.completed"],
    });

    // Act
    const video = await client.createVideo({
      jobId: jobId(),
      title: "Hooked",
      source: "https://example.com/c.mp4",
    });
    for (let attempt = 0; attempt < 300 && received.length < 5; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    // Assess
    expect(received).toHaveLength(5);
    const events = received.map((delivery) => JSON.parse(delivery.body) as Record<string, unknown>);
    for (const [index, delivery] of received.entries()) {
      const expected = createHmac("sha256", signatureSecret).update(delivery.body).digest("hex");
      expect(delivery.headers["x-api-video-signature"]).toBe(expected);
      expect(verifyApiVideoSignature(delivery.body, expected, signatureSecret)).toBe(true);
      expect(events[index]).toMatchObject({
        type: "video.encoding.quality.completed",
        videoId: video.videoId,
      });
    }
    expect(
      events
        .filter((event) => event.encoding === "hls")
        .map((event) => String(event.quality))
        .sort(),
    ).toEqual(["240p", "360p", "480p", "720p"]);
    expect(events.filter((event) => event.encoding === "mp4")).toHaveLength(1);
  });

  it("rejects a signature over a tampered body or made with another secret", () => {
    // Prepare
    const body = JSON.stringify({ type: "video.encoding.quality.completed", videoId: "vi1" });
    const signature = createHmac("sha256", "right-secret").update(body).digest("hex");

    // Act
    const results = [
      verifyApiVideoSignature(body, signature, "right-secret"),
      verifyApiVideoSignature(body.replace("vi1", "vi2"), signature, "right-secret"),
      verifyApiVideoSignature(body, signature, "wrong-secret"),
      verifyApiVideoSignature(body, undefined, "right-secret"),
      verifyApiVideoSignature(body, "not-hex", "right-secret"),
    ];

    // Assess
    expect(results).toEqual([true, false, false, false, false]);
  });
});

describe("describeApiVideoError", () => {
  it("reads title, detail and the attribute name of a problem JSON", () => {
    // Act
    const described = describeApiVideoError(400, {
      type: "https://docs.api.video/reference/invalid-attribute",
      title: "An attribute is invalid.",
      status: 400,
      detail: "This attribute must not be empty.",
      name: "title",
    });

    // Assess
    expect(described).toEqual({
      message: "An attribute is invalid. This attribute must not be empty.",
      field: "title",
    });
  });

  it("says nothing about a body that is not problem JSON", () => {
    // Act
    const results = [
      describeApiVideoError(500, "oops"),
      describeApiVideoError(500, {}),
      describeApiVideoError(502, null),
    ];

    // Assess
    expect(results).toEqual([undefined, undefined, undefined]);
  });
});
