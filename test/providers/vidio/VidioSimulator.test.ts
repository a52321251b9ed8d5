import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { errorBodySchema, jobSchema, renderSchema } from "../../../functions/providers/vidio/schemas";
import { DEFAULT_SIMULATOR_API_KEY, VidioSimulator } from "../../../functions/providers/vidio/VidioSimulator";

/** The fields these tests read from the simulator's JSON answers. */
interface Answer {
  error: { type: string; message: string; param?: string };
  input_key: string;
  upload_url: string;
  job_id: string;
  status: string;
  input_keys: string[];
  output_url?: string;
}

interface Reply {
  status: number;
  headers: Headers;
  body: Answer;
  text: string;
}

const KEY = "sim-test-key";

describe("VidioSimulator", () => {
  let now = 0;
  let simulator: VidioSimulator;
  let base: string;

  /** Sends one request; JSON bodies are sent as JSON, everything else as it is. */
  async function call(
    method: string,
    path: string,
    options: { json?: unknown; raw?: Uint8Array | string; key?: string | null } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (options.key !== null) headers["x-api-key"] = options.key ?? KEY;
    let body: string | Uint8Array | undefined;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    } else body = options.raw;
    const url = path.startsWith("http") ? path : `${base}${path}`;
    const response = await fetch(url, { method, headers, body: body as RequestInit["body"] });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as Answer, text };
  }

  /** Reserves a slot and PUTs `bytes` to it; returns the input key. */
  async function upload(bytes: Uint8Array, name = "in.mp4"): Promise<string> {
    const slot = await call("POST", "/uploads", {
      json: { filename: name, size: bytes.length, content_type: "video/mp4" },
    });
    const put = await call("PUT", slot.body.upload_url, { raw: bytes, key: null });
    expect(put.status).toBe(200);
    return slot.body.input_key;
  }

  async function createJob(inputKeys: string[]): Promise<Reply> {
    return call("POST", "/highlight-reels", {
      json: { input_keys: inputKeys, video_category: "travel", output_length: 20, aspect_ratio: "square" },
    });
  }

  beforeAll(async () => {
    simulator = new VidioSimulator({ apiKey: KEY, processingMs: 1000, now: () => now });
    base = await simulator.start();
  });

  afterAll(async () => {
    await simulator.stop();
  });

  afterEach(() => {
    simulator.server.faults.clear();
  });

  it("defaults to the sim-vidio-key key", () => {
    // Prepare
    const fresh = new VidioSimulator();
    // Act
    const key = fresh.apiKey;
    // Assess
    expect(key).toBe(DEFAULT_SIMULATOR_API_KEY);
    expect(key).toBe("sim-vidio-key");
  });

  it.each([
    ["POST", "/uploads"],
    ["POST", "/highlight-reels"],
    ["GET", "/highlight-reels/job_1"],
    ["POST", "/highlight-reels/job_1/render"],
    ["GET", "/highlight-reels/job_1/render"],
  ])(
    "answers %s %s without the right key with 401 authentication_error, never echoing it",
    async (method, path) => {
      // Prepare
      const wrong = "wrong-key-7777";
      // Act
      const json = method === "GET" ? undefined : {};
      const missing = await call(method, path, { key: null, json });
      const refused = await call(method, path, { key: wrong, json });
      // Assess
      for (const reply of [missing, refused]) {
        expect(reply.status).toBe(401);
        expect(errorBodySchema.parse(reply.body).error.type).toBe("authentication_error");
        expect(reply.text).not.toContain(wrong);
        expect(reply.text).not.toContain(KEY);
      }
    },
  );

  it("hands out an upload slot on its own base URL that takes the bytes without a key, keeping only a digest", async () => {
    // Prepare
    const bytes = Buffer.from("pretend this is a video");
    // Act
    const slot = await call("POST", "/uploads", {
      json: { filename: "beach.mp4", size: bytes.length, content_type: "video/mp4" },
    });
    const before = simulator.upload(slot.body.input_key);
    const put = await call("PUT", slot.body.upload_url, { raw: bytes, key: null });
    const after = simulator.upload(slot.body.input_key);
    // Assess
    expect(slot.status).toBe(200);
    expect(slot.body.upload_url).toMatch(new RegExp(`^${base}/upload-slots/[A-Za-z0-9_-]{20,}$`));
    expect(before).toMatchObject({ complete: false, sha256: undefined, bytesReceived: 0 });
    expect(put.status).toBe(200);
    expect(put.text).toBe("");
    expect(after).toEqual({
      name: "beach.mp4",
      size: bytes.length,
      contentType: "video/mp4",
      sha256: createHash("sha256").update(bytes).digest("hex"),
      bytesReceived: bytes.length,
      complete: true,
    });
    expect(Object.values(after ?? {}).some((value) => Buffer.isBuffer(value))).toBe(false);
  });

  it("refuses bytes that do not match the announced size, and accepts them when PUT again whole", async () => {
    // Prepare
    const slot = await call("POST", "/uploads", {
      json: { filename: "a.mp4", size: 10, content_type: "video/mp4" },
    });
    // Act
    const short = await call("PUT", slot.body.upload_url, { raw: new Uint8Array(7), key: null });
    const afterShort = simulator.upload(slot.body.input_key);
    const whole = await call("PUT", slot.body.upload_url, { raw: new Uint8Array(10), key: null });
    // Assess
    expect(short.status).toBe(400);
    expect(short.body.error.message).toContain("Expected 10 bytes as announced, received 7");
    expect(afterShort?.complete).toBe(false);
    expect(whole.status).toBe(200);
    expect(simulator.upload(slot.body.input_key)?.complete).toBe(true);
  });

  it("answers 404 for an upload slot it never handed out, and undefined for an unknown input key", async () => {
    // Prepare
    const url = `${base}/upload-slots/made-up-token`;
    // Act
    const reply = await call("PUT", url, { raw: new Uint8Array(1), key: null });
    // Assess
    expect(reply.status).toBe(404);
    expect(reply.body.error.type).toBe("not_found_error");
    expect(simulator.upload("in_unknown")).toBeUndefined();
  });

  it.each([
    { json: { filename: "", size: 1, content_type: "video/mp4" }, param: "filename" },
    { json: { filename: "a.mp4", size: 0, content_type: "video/mp4" }, param: "size" },
    { json: { filename: "a.mp4", size: 1.5, content_type: "video/mp4" }, param: "size" },
    { json: { filename: "a.mp4", size: 1 }, param: "content_type" },
  ])("refuses an upload slot request with a bad $param", async ({ json, param }) => {
    // Prepare: the body. Act
    const reply = await call("POST", "/uploads", { json });
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ type: "invalid_request_error", param });
  });

  it("refuses a reel naming an unknown input key, naming input_keys[i]", async () => {
    // Prepare
    const first = await upload(new Uint8Array(5));
    const second = await upload(new Uint8Array(6));
    // Act
    const reply = await createJob([first, second, "in_nope"]);
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ type: "invalid_request_error", param: "input_keys[2]" });
    expect(reply.body.error.message).toContain("unknown input key in_nope");
  });

  it("refuses a reel naming an upload whose bytes never arrived", async () => {
    // Prepare
    const done = await upload(new Uint8Array(5));
    const slot = await call("POST", "/uploads", {
      json: { filename: "pending.mp4", size: 99, content_type: "video/mp4" },
    });
    // Act
    const reply = await createJob([done, slot.body.input_key]);
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.error.param).toBe("input_keys[1]");
    expect(reply.body.error.message).toContain("pending.mp4 is not complete (0 of 99 bytes)");
  });

  it.each([
    { change: { video_category: "football" }, param: "video_category" },
    { change: { aspect_ratio: "4:3" }, param: "aspect_ratio" },
    { change: { output_length: 1.5 }, param: "output_length" },
    { change: { output_length: 0 }, param: "output_length" },
    { change: { output_length: "30" }, param: "output_length" },
    { change: { output_length: 21_600 }, param: "output_length" },
    { change: { input_keys: [] }, param: "input_keys" },
    { change: { input_keys: Array.from({ length: 401 }, () => "in_x") }, param: "input_keys" },
    { change: { input_keys: ["in_x", ""] }, param: "input_keys[1]" },
  ])("refuses a reel with a bad $param", async ({ change, param }) => {
    // Prepare
    const key = await upload(new Uint8Array(3));
    const json = {
      input_keys: [key],
      video_category: "travel",
      output_length: 20,
      aspect_ratio: "square",
      ...change,
    };
    // Act
    const reply = await call("POST", "/highlight-reels", { json });
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.error).toMatchObject({ type: "invalid_request_error", param });
  });

  it("refuses a body that is not a JSON object", async () => {
    // Prepare
    const raw = "input_keys=a";
    // Act
    const reply = await call("POST", "/highlight-reels", { raw });
    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toContain("must be a JSON object");
  });

  it("moves a job from queued to processing to completed over processingMs, keeping the input order", async () => {
    // Prepare
    now = 10_000;
    const keys = [await upload(new Uint8Array(2)), await upload(new Uint8Array(3))];
    const created = await createJob(keys);
    const jobPath = `/highlight-reels/${created.body.job_id}`;
    // Act
    const seen: string[] = [];
    for (const at of [10_100, 10_500, 11_000]) {
      now = at;
      seen.push((await call("GET", jobPath)).body.status);
    }
    const final = jobSchema.parse((await call("GET", jobPath)).body);
    // Assess
    expect(created.body.status).toBe("queued");
    expect(seen).toEqual(["queued", "processing", "completed"]);
    expect(final.input_keys).toEqual(keys);
    expect(final).toMatchObject({ video_category: "travel", output_length: 20, aspect_ratio: "square" });
  });

  it("renders only a completed job, then serves its output once the render completes", async () => {
    // Prepare
    now = 20_000;
    const created = await createJob([await upload(new Uint8Array(4))]);
    const jobId = created.body.job_id;
    const renderPath = `/highlight-reels/${jobId}/render`;
    const tooEarly = await call("POST", renderPath);
    const notStarted = await call("GET", renderPath);
    now = 21_000;
    // Act
    const started = await call("POST", renderPath);
    const outputBefore = await call("GET", `/outputs/${jobId}.mp4`, { key: null });
    now = 21_500;
    const midway = await call("GET", renderPath);
    now = 22_000;
    const done = renderSchema.parse((await call("GET", renderPath)).body);
    const output = await fetch(done.output_url ?? "");
    // Assess
    expect(tooEarly.status).toBe(400);
    expect(tooEarly.body.error).toMatchObject({ type: "invalid_request_error", param: "job_id" });
    expect(tooEarly.body.error.message).toContain("is queued");
    expect(notStarted.status).toBe(404);
    expect(started.body).toEqual({ job_id: jobId, status: "rendering" });
    expect(outputBefore.status).toBe(404);
    expect(midway.body.status).toBe("rendering");
    expect(done).toEqual({ job_id: jobId, status: "completed", output_url: `${base}/outputs/${jobId}.mp4` });
    expect(output.status).toBe(200);
    expect(output.headers.get("content-type")).toBe("video/mp4");
    const bytes = Buffer.from(await output.arrayBuffer());
    expect(bytes.length).toBeLessThan(100);
    expect(bytes.toString("latin1", 4, 8)).toBe("ftyp");
    expect(simulator.renderCount(jobId)).toBe(1);
  });

  it("fails only the next job and the next render, with the reasons given", async () => {
    // Prepare
    now = 30_000;
    simulator.failNextJob("inputs too short");
    const failing = await createJob([await upload(new Uint8Array(1))]);
    const fine = await createJob([await upload(new Uint8Array(1))]);
    now = 31_000;
    simulator.failNextRender("out of render credits");
    // Act
    const failedJob = await call("GET", `/highlight-reels/${failing.body.job_id}`);
    const renderOfFailed = await call("POST", `/highlight-reels/${failing.body.job_id}/render`);
    await call("POST", `/highlight-reels/${fine.body.job_id}/render`);
    await call("POST", `/highlight-reels/${fine.body.job_id}/render`);
    now = 32_000;
    const secondRender = await call("GET", `/highlight-reels/${fine.body.job_id}/render`);
    // Assess
    expect(failedJob.body).toMatchObject({ status: "failed", error: "inputs too short" });
    expect(renderOfFailed.status).toBe(400);
    expect(renderOfFailed.body.error.message).toContain("is failed");
    expect(simulator.job(fine.body.job_id)?.status).toBe("completed");
    // The failure went to the first render; the second replaced it and completed.
    expect(secondRender.body.status).toBe("completed");
    expect(simulator.renderCount(fine.body.job_id)).toBe(2);
  });

  it("answers an injected 429 with Retry-After and a 503 in VIDIO's error format", async () => {
    // Prepare
    simulator.server.faults
      .rateLimit({ times: 1, route: simulator.routes.getJob, retryAfterSeconds: 9 })
      .unavailable({ times: 1, route: simulator.routes.getJob });
    // Act
    const limited = await call("GET", "/highlight-reels/job_1");
    const down = await call("GET", "/highlight-reels/job_1");
    // Assess
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("9");
    expect(errorBodySchema.parse(limited.body).error.type).toBe("rate_limit_error");
    expect(down.status).toBe(503);
    expect(errorBodySchema.parse(down.body).error.type).toBe("api_error");
  });

  it("answers an unknown route and an unknown job with 404 in VIDIO's error format", async () => {
    // Prepare: nothing. Act
    const route = await call("GET", "/nowhere");
    const job = await call("GET", "/highlight-reels/job_missing");
    // Assess
    expect(route.status).toBe(404);
    expect(route.body.error).toMatchObject({ type: "not_found_error", message: "No route for /nowhere" });
    expect(job.status).toBe(404);
    expect(job.body.error.type).toBe("not_found_error");
  });

  it("serves custom paths and names their routes for the fault switches", () => {
    // Prepare
    const custom = new VidioSimulator({
      paths: { getJob: "/jobs/{job_id}", render: "/jobs/{job_id}/render" },
    });
    // Act
    const routes = custom.routes;
    // Assess
    expect(routes).toEqual({
      createUpload: "POST /uploads",
      createHighlightReel: "POST /highlight-reels",
      getJob: "GET /jobs/:jobId",
      render: "POST /jobs/:jobId/render",
      getRender: "GET /highlight-reels/:jobId/render",
      uploadSlot: "PUT /upload-slots/:token",
      output: "GET /outputs/:file",
    });
  });
});
