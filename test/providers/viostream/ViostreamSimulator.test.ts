import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PROBE_TIMEOUT_MS } from "../../../functions/providers/core/simulator/sourceProbe";
import { mediaListSchema } from "../../../functions/providers/viostream/schemas";
import {
  DEFAULT_SIMULATOR_ACCESS_KEY,
  DEFAULT_SIMULATOR_API_KEY,
  formatDuration,
  ViostreamSimulator,
} from "../../../functions/providers/viostream/ViostreamSimulator";
import { stopServer } from "../testing";

/** The fields these tests read from the simulator's JSON answers. */
interface Answer {
  ingestId: string;
  status: string | number;
  error: string;
  title: string;
  detail: string;
  errors: Record<string, string[]>;
  listResult: { items: { id: string; referenceId: string | null; status: string; duration: string }[] };
}

const fixture = (name: string) => readFile(new URL(`../../fixtures/${name}`, import.meta.url));
const MIB = 1024 * 1024;
const auth = `Basic ${Buffer.from(`${DEFAULT_SIMULATOR_ACCESS_KEY}:${DEFAULT_SIMULATOR_API_KEY}`).toString("base64")}`;

interface Served {
  path: string;
  range: string;
  bytes: number;
}

/**
 * Serves source files the way S3 does (Content-Length, byte ranges), the same files again under `/norange/`
 * from a server that ignores ranges, and `huge.mp4`: the 4 s sample's head with its mdat claiming 1 GiB,
 * streamed lazily so a reader that did not hang up would be caught.
 */
async function startSourceServer(files: Record<string, Buffer>) {
  const served: Served[] = [];
  const landscape = files["sample-4s-landscape.mp4"] ?? Buffer.alloc(0);
  const head = Buffer.from(landscape.subarray(0, 4760 + 8));
  head.writeUInt32BE(1024 * MIB, 4760);
  const hugeLength = 4760 + 1024 * MIB;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname.slice(1);
    const entry: Served = { path, range: req.headers.range ?? "", bytes: 0 };
    served.push(entry);
    const ranged = !path.startsWith("norange/");
    const range = ranged ? /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "") : null;
    if (path.endsWith("huge.mp4")) {
      const start = range ? Number(range[1]) : 0;
      const end = range?.[2] ? Math.min(Number(range[2]), hugeLength - 1) : hugeLength - 1;
      res.writeHead(range ? 206 : 200, {
        "content-length": String(end - start + 1),
        ...(range ? { "content-range": `bytes ${start}-${end}/${hugeLength}` } : {}),
      });
      let position = start;
      const zeros = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (!res.destroyed && position <= end) {
          const piece =
            position < head.length ? head.subarray(position, Math.min(head.length, end + 1)) : zeros;
          const chunk = piece.subarray(0, end + 1 - position);
          position += chunk.length;
          entry.bytes += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
      return;
    }
    const body = files[path.replace(/^norange\//, "")];
    if (!body) {
      res.writeHead(404).end("NoSuchKey");
      return;
    }
    if (range) {
      const start = Number(range[1]);
      if (start >= body.length) {
        res.writeHead(416, { "content-range": `bytes */${body.length}` }).end();
        return;
      }
      const end = Math.min(range[2] ? Number(range[2]) : body.length - 1, body.length - 1);
      entry.bytes = end - start + 1;
      res
        .writeHead(206, {
          "content-range": `bytes ${start}-${end}/${body.length}`,
          "content-length": String(end - start + 1),
        })
        .end(body.subarray(start, end + 1));
      return;
    }
    entry.bytes = body.length;
    res.writeHead(200, { "content-length": String(body.length) }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served };
}

describe("ViostreamSimulator", () => {
  let simulator: ViostreamSimulator;
  let sources: Awaited<ReturnType<typeof startSourceServer>>;
  let baseUrl: string;

  async function call(
    method: string,
    path: string,
    body?: unknown,
    /** `null` sends no Authorization header (`undefined` would take the default). */
    authorization: string | null = auth,
  ): Promise<{ status: number; headers: Headers; json: Partial<Answer> }> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(authorization === null ? {} : { authorization }),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : {} };
  }

  /** Starts an ingest of a served file and waits until it settles. */
  async function ingestSettled(
    file: string,
    extension = "mp4",
    referenceId = `ref-${file}-${Math.random()}`,
  ) {
    const created = await call("POST", "/media/new", {
      sourceUrl: `${sources.base}/${file}`,
      filename: file,
      extension,
      referenceId,
    });
    const ingestId = created.json.ingestId ?? "";
    await simulator.idle();
    await new Promise((resolve) => setTimeout(resolve, simulator.clock.processingMs + 5));
    const status = await call("GET", `/media/new/status/${ingestId}`);
    const list = await call("GET", `/media?referenceId=${encodeURIComponent(referenceId)}`);
    return { created, ingestId, status: status.json, items: list.json.listResult?.items ?? [], referenceId };
  }

  beforeAll(async () => {
    const names = [
      "sample-4s-landscape.mp4",
      "sample-6s-moov-at-end.mp4",
      "sample-3s-portrait.MOV",
      "truncated.mp4",
      "not-a-video.mp4",
      "empty.mp4",
    ];
    const files = Object.fromEntries(
      await Promise.all(names.map(async (name) => [name, await fixture(name)] as const)),
    );
    // A faststart file with a box after its media data, as some muxers write metadata.
    const trailer = Buffer.alloc(16);
    trailer.writeUInt32BE(16, 0);
    trailer.write("udta", 4, "latin1");
    files["trailing-box.mp4"] = Buffer.concat([files["sample-4s-landscape.mp4"] ?? Buffer.alloc(0), trailer]);
    sources = await startSourceServer(files);
    simulator = new ViostreamSimulator({ processingMs: 40 });
    baseUrl = await simulator.start();
  });

  afterAll(async () => {
    await simulator.stop();
    await stopServer(sources.server);
  });

  afterEach(() => {
    simulator.server.faults.clear();
    simulator.clock.processingMs = 40;
  });

  it("refuses missing or wrong Basic credentials with 401 and a Basic challenge, without echoing them", async () => {
    // Prepare
    const wrong = `Basic ${Buffer.from(`${DEFAULT_SIMULATOR_ACCESS_KEY}:not-the-key`).toString("base64")}`;
    // Act
    const missing = await call("GET", "/account/info", undefined, null);
    const refused = await call("GET", "/account/info", undefined, wrong);
    const bearer = await call("GET", "/account/info", undefined, `Bearer ${DEFAULT_SIMULATOR_API_KEY}`);
    const accepted = await call("GET", "/account/info");
    // Assess
    expect([missing.status, refused.status, bearer.status, accepted.status]).toEqual([401, 401, 401, 200]);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Basic /);
    expect(JSON.stringify(refused.json)).not.toContain("not-the-key");
    expect(accepted.json).toMatchObject({ id: "acc_simulator", name: "Viostream simulator" });
    expect(simulator.credentials).toEqual({
      accessKey: DEFAULT_SIMULATOR_ACCESS_KEY,
      apiKey: DEFAULT_SIMULATOR_API_KEY,
    });
  });

  it.each([
    { field: "sourceUrl", body: { filename: "f", extension: "mp4" } },
    { field: "sourceUrl", body: { sourceUrl: "ftp://x/y.mp4", filename: "f", extension: "mp4" } },
    { field: "filename", body: { sourceUrl: "http://x/y.mp4", filename: " ", extension: "mp4" } },
    { field: "extension", body: { sourceUrl: "http://x/y.mp4", filename: "f" } },
    { field: "extension", body: { sourceUrl: "http://x/y.mp4", filename: "f", extension: "flv" } },
    {
      field: "referenceId",
      body: { sourceUrl: "http://x/y.mp4", filename: "f", extension: "mp4", referenceId: "r".repeat(101) },
    },
    { field: "body", body: "[1, 2]" },
  ])("answers media/new with 400 naming $field", async ({ field, body }) => {
    // Prepare
    const creates = simulator.media().length;
    // Act
    const answer = await call("POST", "/media/new", body);
    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json.title).toBe("One or more validation errors occurred.");
    expect(Object.keys(answer.json.errors ?? {})).toEqual([field]);
    expect(answer.json.errors?.[field]?.[0]).toContain(field);
    expect(simulator.media().length).toBe(creates);
  });

  it("accepts an ingest without referenceId, and any case of extension", async () => {
    // Prepare
    const body = {
      sourceUrl: `${sources.base}/sample-4s-landscape.mp4`,
      filename: "no ref",
      extension: "MP4",
    };
    // Act
    const answer = await call("POST", "/media/new", body);
    await simulator.idle();
    // Assess
    expect(answer.status).toBe(200);
    expect(answer.json.ingestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(simulator.media().find((media) => media.title === "no ref")?.referenceId).toBeUndefined();
  });

  it("accepts a second ingest with the same referenceId and makes a second media", async () => {
    // Prepare
    const first = await ingestSettled("sample-4s-landscape.mp4");
    // Act
    const second = await ingestSettled("sample-4s-landscape.mp4", "mp4", first.referenceId);
    // Assess
    expect(second.created.status).toBe(200);
    expect(second.ingestId).not.toBe(first.ingestId);
    expect(second.items.map((item) => item.referenceId)).toEqual([first.referenceId, first.referenceId]);
    expect(new Set(second.items.map((item) => item.id)).size).toBe(2);
  });

  it("pages GET media with PageSize and PageNumber, in any case, and refuses PageSize outside 1..100", async () => {
    // Prepare
    const referenceId = `ref-paging-${Date.now()}`;
    for (let index = 0; index < 3; index += 1)
      await ingestSettled("sample-4s-landscape.mp4", "mp4", referenceId);
    // Act
    const first = await call("GET", `/media?referenceId=${referenceId}&PageSize=2`);
    const second = await call("GET", `/media?referenceid=${referenceId}&pageSize=2&pageNumber=2`);
    const refused = await Promise.all(
      ["0", "101", "abc", "2.5"].map((size) => call("GET", `/media?PageSize=${size}`)),
    );
    const badPage = await call("GET", "/media?PageNumber=0");
    const all = await call("GET", "/media?PageSize=100");
    // Assess
    expect(first.json.listResult).toMatchObject({ totalItems: 3, pageNumber: 1, pageSize: 2 });
    expect(first.json.listResult?.items).toHaveLength(2);
    expect(second.json.listResult).toMatchObject({ totalItems: 3, pageNumber: 2, pageSize: 2 });
    expect(second.json.listResult?.items).toHaveLength(1);
    expect(second.json.listResult?.items[0]?.id).not.toBe(first.json.listResult?.items[0]?.id);
    for (const answer of refused) {
      expect(answer.status).toBe(400);
      expect(Object.keys(answer.json.errors ?? {})).toEqual(["PageSize"]);
    }
    expect(badPage.status).toBe(400);
    expect(Object.keys(badPage.json.errors ?? {})).toEqual(["PageNumber"]);
    expect(all.json.listResult?.items.length).toBe(simulator.media().length);
  });

  it("ends a forced failure Failed with its reason, and its media with it", async () => {
    // Prepare
    simulator.failNextIngest("Transcoding failed");
    // Act
    const result = await ingestSettled("sample-4s-landscape.mp4");
    // Assess
    expect(result.status).toEqual({ status: "Failed", error: "Transcoding failed" });
    expect(result.items.map((item) => item.status)).toEqual(["Failed"]);
  });

  it("reads the duration of a faststart MP4 from one bounded ranged read", async () => {
    // Prepare
    const before = sources.served.length;
    // Act
    const result = await ingestSettled("sample-4s-landscape.mp4");
    // Assess
    const reads = sources.served.slice(before);
    expect(result.status).toEqual({ status: "Online" });
    expect(result.items[0]?.duration).toBe("00:00:04");
    expect(reads).toHaveLength(1);
    expect(reads[0]?.range).toMatch(/^bytes=0-\d+$/);
  });

  it("does not read past the media data once the duration is known", async () => {
    // Prepare
    const before = sources.served.length;
    // Act
    const result = await ingestSettled("trailing-box.mp4");
    // Assess
    expect(result.items[0]?.duration).toBe("00:00:04");
    expect(sources.served.slice(before)).toHaveLength(1);
  });

  it("jumps over the media data with a second ranged read to a moov at the end", async () => {
    // Prepare
    const before = sources.served.length;
    // Act
    const result = await ingestSettled("sample-6s-moov-at-end.mp4");
    // Assess
    const reads = sources.served.slice(before);
    expect(result.items[0]?.duration).toBe("00:00:06");
    expect(reads.map((read) => read.range)).toEqual([
      expect.stringMatching(/^bytes=0-/),
      expect.stringMatching(/^bytes=95744-/),
    ]);
  });

  it("reads a QuickTime source with an upper-case extension", async () => {
    // Prepare: the fixture's moov sits after its media data, within the first window.
    // Act
    const result = await ingestSettled("sample-3s-portrait.MOV", "MOV");
    // Assess
    expect(result.status).toEqual({ status: "Online" });
    expect(result.items[0]?.duration).toBe("00:00:03");
  });

  it("reads only the head of a 1 GiB source", async () => {
    // Prepare
    const before = sources.served.length;
    // Act
    const result = await ingestSettled("huge.mp4");
    // Assess
    const reads = sources.served.slice(before);
    expect(result.status).toEqual({ status: "Online" });
    expect(result.items[0]?.duration).toBe("00:00:04");
    expect(reads).toHaveLength(1);
    expect(reads[0]?.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it("hangs up on a 1 GiB source from a server that ignores ranges once it has the head", async () => {
    // Prepare
    const before = sources.served.length;
    // Act
    const result = await ingestSettled("norange/huge.mp4");
    // Assess: what the server wrote before the hang-up includes socket buffers, but not the whole file.
    const reads = sources.served.slice(before);
    expect(result.items[0]?.duration).toBe("00:00:04");
    expect(reads).toHaveLength(1);
    expect(reads[0]?.range).toBe("bytes=0-65535");
    expect(reads[0]?.bytes).toBeLessThan(32 * MIB);
  });

  it("falls back to a fixed duration when the moov cannot be reached without downloading the media data", async () => {
    // Prepare
    const before = sources.served.length;
    // Act
    const result = await ingestSettled("norange/sample-6s-moov-at-end.mp4");
    // Assess
    const reads = sources.served.slice(before);
    expect(result.status).toEqual({ status: "Online" });
    expect(result.items[0]?.duration).toBe(formatDuration(60));
    expect(reads).toHaveLength(2);
  });

  it.each([
    { file: "missing.mp4", extension: "mp4", error: "source could not be downloaded (HTTP 404)" },
    { file: "empty.mp4", extension: "mp4", error: "source is empty" },
    { file: "not-a-video.mp4", extension: "mp4", error: "source is not a readable mp4 video" },
    { file: "truncated.mp4", extension: "mp4", error: "source is truncated" },
  ])("ends the ingest of $file Failed without making a media", async ({ file, extension, error }) => {
    // Prepare: the file on the source server.
    // Act
    const result = await ingestSettled(file, extension);
    // Assess
    expect(result.created.status).toBe(200);
    expect(result.status.status).toBe("Failed");
    expect(result.status.error).toContain(error);
    expect(result.items).toEqual([]);
  });

  it("gives a format it does not read (avi) the fixed duration instead of failing it", async () => {
    // Prepare: any bytes will do; the simulator does not parse AVI.
    // Act
    const result = await ingestSettled("not-a-video.mp4", "avi");
    // Assess
    expect(result.status).toEqual({ status: "Online" });
    expect(result.items[0]?.duration).toBe("00:01:00");
  });

  it("answers 404 in its problem format for an unknown ingest and an unknown route", async () => {
    // Prepare: nothing.
    // Act
    const ingest = await call("GET", "/media/new/status/no-such-ingest");
    const route = await call("GET", "/media/42/details");
    // Assess
    expect(ingest.status).toBe(404);
    expect(ingest.json).toMatchObject({ status: 404, title: "Not Found" });
    expect(ingest.json.detail).toContain("no-such-ingest");
    expect(route.status).toBe(404);
    expect(route.json.title).toBe("Not Found");
  });

  it("answers injected faults: 429 with Retry-After, 503 in its problem format", async () => {
    // Prepare
    simulator.server.faults
      .rateLimit({ times: 1, route: "GET /account/info", retryAfterSeconds: 3 })
      .unavailable({ times: 1, route: "GET /account/info" });
    // Act
    const limited = await call("GET", "/account/info");
    const unavailable = await call("GET", "/account/info");
    const fine = await call("GET", "/account/info");
    // Assess
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect(unavailable.status).toBe(503);
    expect(unavailable.json.title).toBe("Service Unavailable");
    expect(fine.status).toBe(200);
  });
});

describe("ViostreamSimulator options and lifecycle", () => {
  it("accepts only the credentials it was given", async () => {
    // Prepare
    const simulator = new ViostreamSimulator({ accessKey: "VC-custom", apiKey: "custom-key" });
    const fetchFor = simulator.server.inMemoryFetch();
    const basic = (user: string, password: string) =>
      `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    // Act
    const custom = await fetchFor("http://simulator.invalid/account/info", {
      headers: { authorization: basic("VC-custom", "custom-key") },
    });
    const defaults = await fetchFor("http://simulator.invalid/account/info", {
      headers: { authorization: basic(DEFAULT_SIMULATOR_ACCESS_KEY, DEFAULT_SIMULATOR_API_KEY) },
    });
    // Assess
    expect(custom.status).toBe(200);
    expect(defaults.status).toBe(401);
  });

  it("lists the media as Processing once the source is read, and Online once processingMs has passed", async () => {
    // Prepare: a clock the test moves by hand, and a source to read.
    let now = 1_000_000;
    const source = await startSourceServer({
      "sample-4s-landscape.mp4": await fixture("sample-4s-landscape.mp4"),
    });
    const simulator = new ViostreamSimulator({ processingMs: 5_000, now: () => now });
    const fetchFor = simulator.server.inMemoryFetch();
    const get = async (path: string) =>
      (await (
        await fetchFor(`http://simulator.invalid${path}`, { headers: { authorization: auth } })
      ).json()) as Answer;
    const created = (await (
      await fetchFor("http://simulator.invalid/media/new", {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body: JSON.stringify({
          sourceUrl: `${source.base}/sample-4s-landscape.mp4`,
          filename: "Timing",
          extension: "mp4",
          referenceId: "ref-timing",
        }),
      })
    ).json()) as Answer;
    // Act
    await simulator.idle();
    const earlyStatus = await get(`/media/new/status/${created.ingestId}`);
    const early = await get("/media?referenceId=ref-timing");
    now += 4_999;
    const almost = await get(`/media/new/status/${created.ingestId}`);
    now += 1;
    const lateStatus = await get(`/media/new/status/${created.ingestId}`);
    const late = await get("/media?referenceId=ref-timing");
    // Assess
    expect(earlyStatus).toEqual({ status: "Processing" });
    expect(early.listResult.items).toHaveLength(1);
    expect(early.listResult.items[0]).toMatchObject({ status: "Processing", referenceId: "ref-timing" });
    expect(almost).toEqual({ status: "Processing" });
    expect(lateStatus).toEqual({ status: "Online" });
    expect(late.listResult.items[0]).toMatchObject({ status: "Online", duration: "00:00:04" });
    expect(mediaListSchema.safeParse(late).success).toBe(true);
    expect(simulator.media()[0]?.thumbnail).toMatch(/^http:\/\/simulator\.invalid\/thumbnails\//);
    await stopServer(source.server);
  });

  it("stops promptly while a source is still being read", async () => {
    // Prepare: a source that accepts the connection and never answers.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const simulator = new ViostreamSimulator();
    const base = await simulator.start();
    const created = await fetch(`${base}/media/new`, {
      method: "POST",
      headers: {
        authorization: auth,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        sourceUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow.mp4`,
        filename: "slow",
        extension: "mp4",
      }),
    });
    const startedAt = Date.now();
    // Act
    await simulator.stop();
    // Assess
    expect(created.status).toBe(200);
    // Not a speed limit: only that stop() abandoned the read instead of sitting out the probe's own timeout,
    // which a loaded machine cannot bring it near.
    expect(Date.now() - startedAt).toBeLessThan(PROBE_TIMEOUT_MS);
    expect(simulator.media()).toEqual([]);
    await stopServer(silent);
  });

  it("formats durations as HH:MM:SS to the nearest second", () => {
    // Prepare
    const seconds = [0, 4.04, 65, 3723.5, 360_000];
    // Act
    const formatted = seconds.map(formatDuration);
    // Assess
    expect(formatted).toEqual(["00:00:00", "00:00:04", "00:01:05", "01:02:04", "100:00:00"]);
  });
});
