import { createHash, randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ProviderAuthError,
  ProviderOutcomeUnknownError,
  ProviderRejectedError,
  ProviderUnavailableError,
  RateLimitedError,
} from "../../../functions/providers/core/errors";
import { InvalidInputError } from "../../../functions/providers/core/InvalidInputError";
import type { Fetch } from "../../../functions/providers/core/ProviderHttpClient";
import {
  DEFAULT_VIDIO_PATHS,
  describeVidioError,
  resolveVidioPaths,
  VidioClient,
  type VidioJob,
  type VidioRender,
} from "../../../functions/providers/vidio/VidioClient";
import { VidioSimulator } from "../../../functions/providers/vidio/VidioSimulator";
import { captured, everythingShown, pollUntil } from "../testing";

const API_KEY = "sk-vidio-test-SECRET-4242";
const WRONG_KEY = "sk-vidio-wrong-SECRET-9999";
const MIB = 1024 * 1024;

/** A stream that hands out `bytes` in small chunks only when asked, the way an S3 object body does. */
function streamOf(bytes: Uint8Array, chunkSize = 256 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

interface Sent {
  method: string;
  url: string;
  headers: Headers;
}

/** Real `fetch`, recording what was sent where. */
function spyingFetch(): { fetch: Fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    fetch: (url, init) => {
      sent.push({ method: init.method ?? "GET", url, headers: new Headers(init.headers) });
      return fetch(url, init);
    },
  };
}

const jobSettled = (job: VidioJob) => job.status === "completed" || job.status === "failed";
const renderSettled = (render: VidioRender) => render.status !== "rendering";

describe("VidioClient against the VIDIO simulator", () => {
  let simulator: VidioSimulator;
  let client: VidioClient;
  let baseUrl: string;

  beforeAll(async () => {
    simulator = new VidioSimulator({ apiKey: API_KEY, processingMs: 40 });
    baseUrl = await simulator.start();
    client = new VidioClient({ baseUrl, apiKey: API_KEY, timeoutMs: 2_000 });
  });

  afterAll(async () => {
    await simulator.stop();
  });

  afterEach(() => {
    simulator.server.faults.clear();
  });

  async function uploaded(name = "clip.mp4", bytes: Uint8Array = randomBytes(2048)): Promise<string> {
    return (await client.upload({ name, size: bytes.byteLength, body: bytes })).input_key;
  }

  async function completedJob(): Promise<VidioJob> {
    const job = await client.createHighlightReel({
      inputKeys: [await uploaded()],
      videoCategory: "travel",
      outputLengthSeconds: 15,
      aspectRatio: "square",
    });
    return pollUntil(() => client.getJob(job.job_id), jobSettled);
  }

  it("streams a 12 MiB input from a ReadableStream, and VIDIO receives exactly those bytes", async () => {
    // Prepare
    const bytes = randomBytes(12 * MIB);
    const expected = createHash("sha256").update(bytes).digest("hex");
    const spy = spyingFetch();
    const streaming = new VidioClient({ baseUrl, apiKey: API_KEY, fetch: spy.fetch });
    // Act
    const result = await streaming.upload({
      name: "match.mp4",
      size: bytes.byteLength,
      body: streamOf(bytes),
    });
    // Assess
    expect(Object.keys(result)).toEqual(["input_key"]);
    expect(simulator.upload(result.input_key)).toEqual({
      name: "match.mp4",
      size: 12 * MIB,
      contentType: "video/mp4",
      sha256: expected,
      bytesReceived: 12 * MIB,
      complete: true,
    });
    const put = spy.sent.find((request) => request.method === "PUT");
    expect(put?.headers.get("content-length")).toBe(String(12 * MIB));
    expect(put?.headers.get("content-type")).toBe("video/mp4");
  });

  it("sends the API key to VIDIO's API but never to the upload URL", async () => {
    // Prepare
    const spy = spyingFetch();
    const watched = new VidioClient({ baseUrl, apiKey: API_KEY, fetch: spy.fetch });
    const bytes = randomBytes(1000);
    // Act
    await watched.upload({ name: "a.mov", size: bytes.byteLength, body: streamOf(bytes, 100) });
    // Assess
    expect(spy.sent.map((request) => request.method)).toEqual(["POST", "PUT"]);
    expect(spy.sent[0]?.headers.get("x-api-key")).toBe(API_KEY);
    expect(spy.sent[1]?.url).toContain("/upload-slots/");
    expect(spy.sent[1]?.headers.has("x-api-key")).toBe(false);
    expect(spy.sent[1]?.headers.get("content-type")).toBe("video/quicktime");
  });

  it("uploads two inputs, makes a reel of them in order, and renders it to an output URL", async () => {
    // Prepare
    const second = await uploaded("second.mp4");
    const first = await uploaded("first.mp4");
    // Act
    const created = await client.createHighlightReel({
      inputKeys: [second, first],
      videoCategory: "ball-sports",
      outputLengthSeconds: 30,
      aspectRatio: "landscape",
    });
    const job = await pollUntil(() => client.getJob(created.job_id), jobSettled);
    const started = await client.render(job.job_id);
    const render = await pollUntil(() => client.getRender(job.job_id), renderSettled);
    const download = await fetch(render.output_url ?? "");
    // Assess
    expect(created).toMatchObject({
      status: "queued",
      input_keys: [second, first],
      video_category: "ball-sports",
      output_length: 30,
      aspect_ratio: "landscape",
    });
    expect(job.status).toBe("completed");
    expect(job.input_keys).toEqual([second, first]);
    expect(started).toEqual({ job_id: job.job_id, status: "rendering" });
    expect(render.status).toBe("completed");
    expect(render.output_url).toBe(`${baseUrl}/outputs/${job.job_id}.mp4`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).toString("latin1", 4, 8)).toBe("ftyp");
    expect(simulator.renderCount(job.job_id)).toBe(1);
  });

  it("reports a failed job with VIDIO's reason", async () => {
    // Prepare
    simulator.failNextJob("no usable footage in the inputs");
    const created = await client.createHighlightReel({
      inputKeys: [await uploaded()],
      videoCategory: "wedding",
      outputLengthSeconds: 10,
      aspectRatio: "portrait",
    });
    // Act
    const job = await pollUntil(() => client.getJob(created.job_id), jobSettled);
    // Assess
    expect(job.status).toBe("failed");
    expect(job.error).toBe("no usable footage in the inputs");
  });

  it("reports a failed render with VIDIO's reason and no output URL", async () => {
    // Prepare
    const job = await completedJob();
    simulator.failNextRender("encoder crashed");
    // Act
    await client.render(job.job_id);
    const render = await pollUntil(() => client.getRender(job.job_id), renderSettled);
    // Assess
    expect(render.status).toBe("failed");
    expect(render.error).toBe("encoder crashed");
    expect(render.output_url).toBeUndefined();
  });

  it("turns VIDIO's 400 for an unknown input key into ProviderRejectedError naming input_keys[i]", async () => {
    // Prepare
    const known = await uploaded();
    // Act
    const error = await captured(() =>
      client.createHighlightReel({
        inputKeys: [known, "in_does_not_exist"],
        videoCategory: "podcast",
        outputLengthSeconds: 20,
        aspectRatio: "landscape",
      }),
    );
    // Assess
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect((error as ProviderRejectedError).status).toBe(400);
    expect((error as ProviderRejectedError).field).toBe("input_keys[1]");
    expect((error as Error).message).toContain("unknown input key in_does_not_exist");
    expect((error as Error).message).toContain("invalid_request_error");
    expect((error as ProviderRejectedError).retryable).toBe(false);
  });

  it("turns VIDIO's 400 for rendering a job that is not completed into ProviderRejectedError", async () => {
    // Prepare
    const slow = new VidioSimulator({ processingMs: 60_000 });
    const slowClient = new VidioClient({ baseUrl: await slow.start(), apiKey: slow.apiKey });
    try {
      const bytes = randomBytes(10);
      const { input_key } = await slowClient.upload({ name: "x.mp4", size: 10, body: bytes });
      const job = await slowClient.createHighlightReel({
        inputKeys: [input_key],
        videoCategory: "others",
        outputLengthSeconds: 5,
        aspectRatio: "square",
      });
      // Act
      const error = await captured(() => slowClient.render(job.job_id));
      // Assess
      expect(error).toBeInstanceOf(ProviderRejectedError);
      expect((error as ProviderRejectedError).field).toBe("job_id");
      expect((error as Error).message).toContain("only a completed job can be rendered");
    } finally {
      await slow.stop();
    }
  });

  it("turns a refused key into ProviderAuthError", async () => {
    // Prepare
    const wrong = new VidioClient({ baseUrl, apiKey: WRONG_KEY });
    // Act
    const error = await captured(() => wrong.getJob("job_1"));
    // Assess
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as ProviderAuthError).status).toBe(401);
    expect((error as Error).message).toContain("authentication_error");
  });

  it.each([
    { input: { inputKeys: [] }, field: "inputKeys", says: "at least one input key", shows: "[]" },
    {
      input: { inputKeys: Array.from({ length: 401 }, (_, index) => `in_${index}`) },
      field: "inputKeys",
      says: "at most 400",
      shows: '["in_0"',
    },
    { input: { inputKeys: ["in_1", "  "] }, field: "inputKeys.1", says: "must not be empty", shows: '"  "' },
    {
      input: { videoCategory: "football" },
      field: "videoCategory",
      says: "ball-sports",
      shows: '"football"',
    },
    { input: { aspectRatio: "16:9" }, field: "aspectRatio", says: "landscape, portrait", shows: '"16:9"' },
    { input: { outputLengthSeconds: 0 }, field: "outputLengthSeconds", says: "at least 1", shows: "0" },
    {
      input: { outputLengthSeconds: 12.5 },
      field: "outputLengthSeconds",
      says: "whole number",
      shows: "12.5",
    },
    { input: { outputLengthSeconds: 21_600 }, field: "outputLengthSeconds", says: "6 hours", shows: "21600" },
  ])("rejects $field locally before sending anything ($shows)", async ({ input, field, says, shows }) => {
    // Prepare
    const requestsBefore = simulator.server.log.length;
    const valid = {
      inputKeys: ["in_1"],
      videoCategory: "travel",
      outputLengthSeconds: 30,
      aspectRatio: "landscape",
    } as const;
    // Act
    const error = await captured(() => client.createHighlightReel({ ...valid, ...input } as never));
    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe(field);
    expect((error as Error).message).toContain(`${field}: `);
    expect((error as Error).message).toContain(says);
    expect((error as Error).message).toContain(`got ${shows}`);
    expect(simulator.server.log.length).toBe(requestsBefore);
  });

  it.each([
    { input: { name: "", size: 3, body: new Uint8Array(3) }, field: "name" },
    { input: { name: "a.mp4", size: 0, body: new Uint8Array(0) }, field: "size" },
    { input: { name: "a.mp4", size: 5, body: new Uint8Array(3) }, field: "size" },
    { input: { name: "a.mp4", size: 3, body: "abc" }, field: "body" },
  ])("rejects an upload with a bad $field before sending anything", async ({ input, field }) => {
    // Prepare
    const requestsBefore = simulator.server.log.length;
    // Act
    const error = await captured(() => client.upload(input as never));
    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe(field);
    expect(simulator.server.log.length).toBe(requestsBefore);
  });

  it.each([
    { streamed: 4000, announced: 5000, says: "ended after 4000 bytes" },
    { streamed: 6000, announced: 5000, says: "more than the 5000 bytes" },
  ])(
    "fails an upload whose stream holds $streamed bytes instead of $announced, naming size",
    async ({ streamed, announced, says }) => {
      // Prepare
      const bytes = randomBytes(streamed);
      // Act
      const error = await captured(() =>
        client.upload({ name: "short.mp4", size: announced, body: streamOf(bytes, 1000) }),
      );
      // Assess
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe("size");
      expect((error as Error).message).toContain(says);
    },
  );

  it("turns a 429 into RateLimitedError carrying VIDIO's Retry-After", async () => {
    // Prepare
    const job = await completedJob();
    simulator.server.faults.rateLimit({ times: 1, route: simulator.routes.getJob, retryAfterSeconds: 7 });
    // Act
    const error = await captured(() => client.getJob(job.job_id));
    const after = await client.getJob(job.job_id);
    // Assess
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(7);
    expect((error as Error).message).toContain("rate_limit_error");
    expect(after.status).toBe("completed");
  });

  it("turns a 503 into a retryable ProviderUnavailableError", async () => {
    // Prepare
    simulator.server.faults.unavailable({ times: 1, route: simulator.routes.createHighlightReel });
    const key = await uploaded();
    // Act
    const error = await captured(() =>
      client.createHighlightReel({
        inputKeys: [key],
        videoCategory: "travel",
        outputLengthSeconds: 9,
        aspectRatio: "portrait",
      }),
    );
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).status).toBe(503);
    expect((error as ProviderUnavailableError).retryable).toBe(true);
  });

  it("does not resend a create whose connection dropped: the outcome is unknown", async () => {
    // Prepare
    const key = await uploaded();
    simulator.server.faults.dropConnection({ times: 1, route: simulator.routes.createHighlightReel });
    const createsBefore = simulator.server.count(simulator.routes.createHighlightReel);
    // Act
    const error = await captured(() =>
      client.createHighlightReel({
        inputKeys: [key],
        videoCategory: "travel",
        outputLengthSeconds: 9,
        aspectRatio: "portrait",
      }),
    );
    // Assess
    expect(error).toBeInstanceOf(ProviderOutcomeUnknownError);
    expect((error as ProviderOutcomeUnknownError).retryable).toBe(false);
    expect((error as Error).message).toContain("not sent again blindly");
    expect(simulator.server.count(simulator.routes.createHighlightReel)).toBe(createsBefore + 1);
  });

  it("does not resend a render whose connection dropped: the outcome is unknown", async () => {
    // Prepare
    const job = await completedJob();
    simulator.server.faults.dropConnection({ times: 1, route: simulator.routes.render });
    // Act
    const error = await captured(() => client.render(job.job_id));
    // Assess
    expect(error).toBeInstanceOf(ProviderOutcomeUnknownError);
    expect(simulator.server.count(simulator.routes.render)).toBeGreaterThan(0);
  });

  it.each([
    { route: "getJob", call: (client: VidioClient) => client.getJob("job_x") },
    { route: "getRender", call: (client: VidioClient) => client.getRender("job_x") },
    {
      route: "createUpload",
      call: (client: VidioClient) => client.upload({ name: "a.mp4", size: 1, body: new Uint8Array(1) }),
    },
    {
      route: "uploadSlot",
      call: (client: VidioClient) => client.upload({ name: "a.mp4", size: 1, body: new Uint8Array(1) }),
    },
  ] as const)(
    "turns a dropped connection on $route (safe to repeat) into ProviderUnavailableError",
    async ({ route, call }) => {
      // Prepare
      simulator.server.faults.dropConnection({ times: 1, route: simulator.routes[route] });
      // Act
      const error = await captured(() => call(client));
      // Assess
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect((error as Error).message).toContain("connection");
      expect((error as ProviderUnavailableError).retryable).toBe(true);
    },
  );

  it("turns a read whose body is not JSON into a retryable ProviderUnavailableError", async () => {
    // Prepare
    const job = await completedJob();
    simulator.server.faults.malformedBody({ times: 1, route: simulator.routes.getJob });
    // Act
    const error = await captured(() => client.getJob(job.job_id));
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toContain("not JSON");
  });

  it.each([
    { body: { job_id: "j1", status: "done" }, says: "status" },
    { body: { job_id: "j1", status: "completed" }, says: "output_url" },
    { body: { job_id: "j1", status: "completed", output_url: "not a url" }, says: "output_url" },
  ])(
    "turns a render answer outside the contract into a retryable error naming $says",
    async ({ body, says }) => {
      // Prepare
      const fake = new VidioClient({
        baseUrl: "https://vidio.test",
        apiKey: API_KEY,
        fetch: async () => Response.json(body),
      });
      // Act
      const error = await captured(() => fake.getRender("j1"));
      // Assess
      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect((error as Error).message).toContain(says);
    },
  );

  it("reads null optional fields as absent and strips unknown ones", async () => {
    // Prepare
    const fake = new VidioClient({
      baseUrl: "https://vidio.test",
      apiKey: API_KEY,
      fetch: async () =>
        Response.json({ job_id: "j1", status: "processing", error: null, input_keys: null, extra: 1 }),
    });
    // Act
    const job = await fake.getJob("j1");
    // Assess
    expect(job).toEqual({ job_id: "j1", status: "processing" });
  });

  it("reads a failure reason given as an object", async () => {
    // Prepare
    const fake = new VidioClient({
      baseUrl: "https://vidio.test",
      apiKey: API_KEY,
      fetch: async () => Response.json({ job_id: "j1", status: "failed", error: { message: "too dark" } }),
    });
    // Act
    const job = await fake.getJob("j1");
    // Assess
    expect(job.error).toBe("too dark");
  });

  it("escapes job ids in paths", async () => {
    // Prepare
    const urls: string[] = [];
    const fake = new VidioClient({
      baseUrl: "https://vidio.test/v1/",
      apiKey: API_KEY,
      fetch: async (url) => {
        urls.push(url);
        return Response.json({ job_id: "a/b", status: "queued" });
      },
    });
    // Act
    await fake.getJob("a/b");
    // Assess
    expect(urls).toEqual(["https://vidio.test/v1/highlight-reels/a%2Fb"]);
  });

  it("works over the simulator's in-memory transport, upload included, without a socket", async () => {
    // Prepare
    const offline = new VidioSimulator({ processingMs: 0 });
    const memoryClient = new VidioClient({
      baseUrl: "http://simulator.invalid",
      apiKey: offline.apiKey,
      fetch: offline.server.inMemoryFetch(),
    });
    const bytes = randomBytes(300_000);
    // Act
    const { input_key } = await memoryClient.upload({
      name: "m.mp4",
      size: bytes.length,
      body: streamOf(bytes),
    });
    const job = await memoryClient.createHighlightReel({
      inputKeys: [input_key],
      videoCategory: "others",
      outputLengthSeconds: 3,
      aspectRatio: "square",
    });
    const read = await memoryClient.getJob(job.job_id);
    // Assess
    expect(offline.upload(input_key)?.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect(read.status).toBe("completed");
  });

  it("never puts the API key in an error", async () => {
    // Prepare
    const wrong = new VidioClient({ baseUrl, apiKey: WRONG_KEY, timeoutMs: 1_000 });
    const echoing = new VidioClient({
      baseUrl: "https://vidio.test",
      apiKey: API_KEY,
      // A misbehaving server quoting our own header back at us.
      fetch: async (_url, init) =>
        Response.json(
          {
            error: {
              type: "invalid_request_error",
              message: `bad key ${new Headers(init.headers).get("x-api-key")}`,
            },
          },
          { status: 400 },
        ),
    });
    const job = await completedJob();
    simulator.server.faults
      .rateLimit({ times: 1, route: simulator.routes.getJob })
      .unavailable({ times: 1, route: simulator.routes.getRender })
      .dropConnection({ times: 1, route: simulator.routes.render })
      .malformedBody({ times: 1, route: simulator.routes.createUpload });
    // Act
    const errors = [
      await captured(() => client.getJob(job.job_id)),
      await captured(() => client.getRender(job.job_id)),
      await captured(() => client.render(job.job_id)),
      await captured(() => client.upload({ name: "a.mp4", size: 1, body: new Uint8Array(1) })),
      await captured(() =>
        client.createHighlightReel({
          inputKeys: ["in_nope"],
          videoCategory: "travel",
          outputLengthSeconds: 3,
          aspectRatio: "square",
        }),
      ),
      await captured(() => wrong.getJob(job.job_id)),
      await captured(() => echoing.getJob("j1")),
      await captured(() =>
        client.createHighlightReel({
          inputKeys: [],
          videoCategory: "travel",
          outputLengthSeconds: 3,
          aspectRatio: "square",
        }),
      ),
    ];
    // Assess
    expect(errors.map((error) => (error as Error).name)).toEqual([
      "RateLimitedError",
      "ProviderUnavailableError",
      "ProviderOutcomeUnknownError",
      "ProviderUnavailableError",
      "ProviderRejectedError",
      "ProviderAuthError",
      "ProviderRejectedError",
      "InvalidInputError",
    ]);
    expect((errors[6] as Error).message).toContain("bad key [redacted]");
    for (const error of errors) {
      const text = everythingShown(error);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(WRONG_KEY);
    }
  });

  it("refuses to be built without a key or with a base URL that is not one, without echoing the key", () => {
    // Prepare
    const noKey = { baseUrl, apiKey: "   " };
    const noUrl = { baseUrl: "vidio", apiKey: API_KEY };
    // Act
    const buildNoKey = () => new VidioClient(noKey);
    const buildNoUrl = () => new VidioClient(noUrl);
    // Assess
    expect(buildNoKey).toThrow(/apiKey: is missing/);
    expect(buildNoUrl).toThrow(InvalidInputError);
    expect(buildNoUrl).toThrow(/baseUrl: is not a URL \(got "vidio"\)/);
  });
});

describe("configurable paths", () => {
  const paths = {
    createUpload: "/v2/files",
    createHighlightReel: "/v2/reels",
    getJob: "/v2/reels/{job_id}/status",
    render: "/v2/renders/{job_id}",
    getRender: "/v2/renders/{job_id}",
  };
  let simulator: VidioSimulator;
  let baseUrl: string;

  beforeAll(async () => {
    simulator = new VidioSimulator({ processingMs: 10, paths });
    baseUrl = await simulator.start();
  });

  afterAll(async () => {
    await simulator.stop();
  });

  it("runs the whole flow when the simulator and the client share custom paths", async () => {
    // Prepare
    const client = new VidioClient({ baseUrl, apiKey: simulator.apiKey, paths });
    const bytes = randomBytes(5000);
    // Act
    const { input_key } = await client.upload({
      name: "a.mp4",
      size: bytes.length,
      body: streamOf(bytes, 999),
    });
    const created = await client.createHighlightReel({
      inputKeys: [input_key],
      videoCategory: "non-ball-sports",
      outputLengthSeconds: 12,
      aspectRatio: "portrait",
    });
    await pollUntil(() => client.getJob(created.job_id), jobSettled);
    await client.render(created.job_id);
    const render = await pollUntil(() => client.getRender(created.job_id), renderSettled);
    // Assess
    expect(render.output_url).toBe(`${baseUrl}/outputs/${created.job_id}.mp4`);
    expect(simulator.server.count("POST /v2/files")).toBe(1);
    expect(simulator.server.count("POST /v2/reels")).toBe(1);
    expect(simulator.server.count("GET /v2/reels/:jobId/status")).toBeGreaterThan(0);
    expect(simulator.server.count("POST /v2/renders/:jobId")).toBe(1);
    expect(simulator.server.count("GET /v2/renders/:jobId")).toBeGreaterThan(0);
  });

  it("uses only the paths it is given: the default paths miss a simulator with custom ones", async () => {
    // Prepare
    const defaults = new VidioClient({ baseUrl, apiKey: simulator.apiKey });
    // Act
    const error = await captured(() => defaults.getJob("job_1"));
    // Assess
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect((error as ProviderRejectedError).status).toBe(404);
    expect((error as Error).message).toContain("No route for /highlight-reels/job_1");
  });

  it.each([
    { paths: { getJob: "/reels" }, field: "paths.getJob", says: "{job_id} exactly once" },
    { paths: { createUpload: "/uploads/{job_id}" }, field: "paths.createUpload", says: "must not contain" },
    { paths: { render: "reels/{job_id}" }, field: "paths.render", says: "must start with /" },
    { paths: { getJob: "/r/{job_id}?x=1" }, field: "paths.getJob", says: "no spaces, query" },
    { paths: { createHighlightReel: "/uploads" }, field: "paths.createHighlightReel", says: "same route" },
    { paths: { getjob: "/r/{job_id}" }, field: "paths.getjob", says: "not a known field" },
  ])("refuses the path override $paths, naming $field", ({ paths: overrides, field, says }) => {
    // Prepare: the overrides. Act
    const resolve = () => resolveVidioPaths(overrides as never);
    // Assess
    expect(resolve).toThrow(InvalidInputError);
    try {
      resolve();
    } catch (error) {
      expect((error as InvalidInputError).field).toBe(field);
      expect((error as Error).message).toContain(says);
    }
  });

  it("keeps the defaults for paths not overridden", () => {
    // Prepare
    const overrides = { getJob: "/jobs/{job_id}" };
    // Act
    const resolved = resolveVidioPaths(overrides);
    // Assess
    expect(resolved).toEqual({ ...DEFAULT_VIDIO_PATHS, getJob: "/jobs/{job_id}" });
  });
});

describe("describeVidioError", () => {
  it.each([
    {
      body: {
        error: { type: "invalid_request_error", message: "output_length too long", param: "output_length" },
      },
      expected: { message: "output_length too long (invalid_request_error)", field: "output_length" },
    },
    {
      body: { error: { type: "invalid_request_error", message: "bad key", field: "input_keys[0]" } },
      expected: { message: "bad key (invalid_request_error)", field: "input_keys[0]" },
    },
    {
      body: { error: { type: "authentication_error", message: "Invalid API key" } },
      expected: { message: "Invalid API key (authentication_error)" },
    },
    { body: { error: { type: "api_error" } }, expected: { message: "api_error" } },
    { body: { message: "Internal error" }, expected: { message: "Internal error" } },
  ])("reads $body", ({ body, expected }) => {
    // Prepare: the body. Act
    const described = describeVidioError(400, body);
    // Assess
    expect(described).toEqual(expected);
  });

  it("says nothing when the body carries no message", () => {
    // Prepare
    const bodies = [undefined, null, "text", {}, { error: {} }, { error: "x" }];
    // Act
    const described = bodies.map((body) => describeVidioError(500, body));
    // Assess
    expect(described).toEqual(bodies.map(() => undefined));
  });
});
