import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ProviderAuthError,
  ProviderOutcomeUnknownError,
  ProviderProtocolError,
  ProviderUnavailableError,
  RateLimitedError,
} from "../../../functions/providers/core/errors";
import { InvalidInputError } from "../../../functions/providers/core/InvalidInputError";
import { isManifestUrl } from "../../../functions/providers/vidori/schemas";
import {
  describeVidoriError,
  MAX_ASSETS_PER_REQUEST,
  type VidoriAssetInput,
  type VidoriAssetOutcome,
  VidoriClient,
  validateAsset,
} from "../../../functions/providers/vidori/VidoriClient";
import { VidoriSimulator } from "../../../functions/providers/vidori/VidoriSimulator";
import { captured, everythingShown } from "../testing";

const API_KEY = "vid_test_SECRET_a1b2c3d4e5f6a7b8c9d0e1f2";
const WRONG_KEY = "vid_wrong_SECRET_ffffeeeeddddccccbbbb";

/** `count` valid assets, each with a title naming its position so outcomes can be matched to what was sent. */
function videos(count: number, from = 0): VidoriAssetInput[] {
  return Array.from({ length: count }, (_, offset) => ({
    url: `https://cdn.example.com/videos/clip-${from + offset}.mp4`,
    title: `Video ${from + offset}`,
  }));
}

/** A server on 127.0.0.1 answering scripted responses in turn, for answers the simulator never gives. */
async function scriptedServer(answers: { status: number; body: unknown }[]) {
  const received: unknown[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      const answer = answers[received.length - 1] ?? { status: 500, body: { detail: "no more answers" } };
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
  const stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { baseUrl, received, stop };
}

function accepted(outcome: VidoriAssetOutcome | undefined) {
  if (outcome?.status !== "accepted")
    throw new Error(`expected an accepted outcome, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function failed(outcome: VidoriAssetOutcome | undefined) {
  if (outcome?.status !== "failed")
    throw new Error(`expected a failed outcome, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe("VidoriClient against the Vidori simulator", () => {
  let simulator: VidoriSimulator;
  let baseUrl: string;
  let client: VidoriClient;

  beforeEach(async () => {
    simulator = new VidoriSimulator({ apiKey: API_KEY });
    baseUrl = await simulator.start();
    client = new VidoriClient({ baseUrl, apiKey: API_KEY, timeoutMs: 2_000 });
  });

  afterEach(async () => {
    await simulator.stop();
  });

  it("keeps a partial success: assets Vidori fails are reported with its error, the others accepted", async () => {
    // Prepare
    simulator.rejectUrlsMatching(/broken/, "Source could not be downloaded");
    const assets = videos(5);
    assets[1] = { url: "https://cdn.example.com/broken/one.mp4", title: "Broken 1" };
    assets[3] = { url: "https://cdn.example.com/broken/three.mp4", title: "Broken 3" };
    // Act
    const outcomes = await client.importBatch(assets);
    // Assess
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      "accepted",
      "failed",
      "accepted",
      "failed",
      "accepted",
    ]);
    expect(failed(outcomes[1])).toEqual({
      index: 1,
      status: "failed",
      error: "Source could not be downloaded",
    });
    expect(simulator.assets().map((asset) => asset.title)).toEqual(["Video 0", "Video 2", "Video 4"]);
    expect(accepted(outcomes[4]).assetId).toBe(simulator.assets()[2]?.assetId);
  });

  it("fails locally invalid assets with the field named, without sending them, and sends the others", async () => {
    // Prepare
    const assets: VidoriAssetInput[] = [
      ...videos(1),
      { externalUrl: "https://cdn.example.com/live/video.mp4?X-Amz-Signature=topsecret", title: "Not HLS" },
      { title: "No source" },
      ...videos(1, 3),
      { url: "https://cdn.example.com/a.mp4", productionYear: 2024.5 },
      { url: "https://cdn.example.com/b.mp4", type: "FILM" as never },
      { url: "https://cdn.example.com/c.mp4", external_url: "https://cdn.example.com/c.m3u8" } as never,
      { externalUrl: "https://cdn.example.com/hls/master.m3u8?token=abc", title: "Linked HLS" },
    ];
    // Act
    const outcomes = await client.importBatch(assets);
    // Assess
    expect(outcomes.map((outcome) => outcome.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(outcomes.map((outcome) => (outcome.status === "failed" ? outcome.field : "ok"))).toEqual([
      "ok",
      "externalUrl",
      "url",
      "ok",
      "productionYear",
      "type",
      "external_url",
      "ok",
    ]);
    expect(failed(outcomes[1]).error).toContain(".m3u8");
    expect(failed(outcomes[1]).error).not.toContain("topsecret");
    expect(failed(outcomes[6]).error).toContain("did you mean externalUrl?");
    expect(simulator.requests()).toBe(1);
    expect(simulator.assets().map((asset) => asset.title)).toEqual(["Video 0", "Video 3", "Linked HLS"]);
    expect(simulator.assets()[2]?.externalUrl).toBe("https://cdn.example.com/hls/master.m3u8?token=abc");
  });

  it("sends nothing when every asset fails local validation, and nothing for an empty list", async () => {
    // Prepare
    const assets: VidoriAssetInput[] = [{ title: "No source" }, { url: "ftp://cdn.example.com/a.mp4" }];
    // Act
    const outcomes = await client.importBatch(assets, 10);
    const none = await client.importBatch([]);
    // Assess
    expect(outcomes.map((outcome) => [outcome.index, outcome.status])).toEqual([
      [10, "failed"],
      [11, "failed"],
    ]);
    expect(failed(outcomes[1]).field).toBe("url");
    expect(none).toEqual([]);
    expect(simulator.requests()).toBe(0);
  });

  it("fails the asset a 422 names, with its field, and re-sends the rest of the batch once", async () => {
    // Prepare
    simulator.rejectFieldMatching(
      "production_year",
      /^1999$/,
      "Production year is outside the catalog's range",
    );
    const assets = videos(4, 100);
    assets[2] = { ...assets[2], productionYear: 1999 };
    // Act
    const outcomes = await client.importBatch(assets, 100);
    // Assess
    expect(outcomes.map((outcome) => [outcome.index, outcome.status])).toEqual([
      [100, "accepted"],
      [101, "accepted"],
      [102, "failed"],
      [103, "accepted"],
    ]);
    expect(failed(outcomes[2])).toEqual({
      index: 102,
      status: "failed",
      error: "Production year is outside the catalog's range",
      field: "productionYear",
    });
    expect(simulator.requests()).toBe(2);
    expect(simulator.assets().map((asset) => asset.title)).toEqual(["Video 100", "Video 101", "Video 103"]);
    expect(accepted(outcomes[3]).assetId).toBe(simulator.assets()[2]?.assetId);
  });

  it("fails every asset of a batch when a 422 names no asset, and does not re-send it", async () => {
    // Prepare: a Vidori that lowered its limit to 10 rejects the batch as a whole.
    await simulator.stop();
    simulator = new VidoriSimulator({ apiKey: API_KEY, maxAssetsPerRequest: 10 });
    client = new VidoriClient({ baseUrl: await simulator.start(), apiKey: API_KEY });
    // Act
    const outcomes = await client.importBatch(videos(12));
    // Assess
    expect(outcomes).toHaveLength(12);
    for (const [index, outcome] of outcomes.entries()) {
      expect(failed(outcome).index).toBe(index);
      expect(failed(outcome).error).toContain("List should have at most 10 items after validation, not 12");
      expect(failed(outcome).field).toBeUndefined();
    }
    expect(simulator.requests()).toBe(1);
    expect(simulator.assets()).toEqual([]);
  });

  it("passes Vidori's warnings for unknown content groups through with the accepted asset", async () => {
    // Prepare
    const asset: VidoriAssetInput = {
      url: "https://cdn.example.com/films/nosferatu.mp4",
      type: "MOVIE",
      contentGroups: ["featured", "Sci-Fi Classics"],
    };
    // Act
    const [outcome] = await client.importBatch([asset]);
    // Assess
    expect(accepted(outcome).warnings).toEqual(["Content group 'Sci-Fi Classics' not found"]);
    expect(simulator.assets()[0]?.contentGroups).toEqual(["Featured"]);
  });

  it("sends every documented field in snake_case", async () => {
    // Prepare
    const asset: VidoriAssetInput = {
      url: "https://cdn.example.com/series/s01e01.mp4",
      title: "Pilot",
      description: "The first episode",
      type: "EPISODE",
      genres: ["Drama"],
      tags: ["new"],
      productionYear: 2024,
      posterUrl: "https://cdn.example.com/series/poster.jpg",
      contentGroups: ["New Releases"],
    };
    // Act
    await client.importBatch([asset]);
    // Assess
    expect(simulator.assets()[0]).toMatchObject({
      url: asset.url,
      title: "Pilot",
      description: "The first episode",
      type: "EPISODE",
      genres: ["Drama"],
      tags: ["new"],
      productionYear: 2024,
      posterUrl: asset.posterUrl,
      contentGroups: ["New Releases"],
      warnings: [],
    });
  });

  it("throws ProviderAuthError on a 401, with nothing accepted and the key nowhere in the error", async () => {
    // Prepare
    const wrong = new VidoriClient({ baseUrl, apiKey: WRONG_KEY });
    // Act
    const fromBatch = await captured(() => wrong.importBatch(videos(3)));
    // Assess
    expect(fromBatch).toBeInstanceOf(ProviderAuthError);
    expect((fromBatch as ProviderAuthError).status).toBe(401);
    expect((fromBatch as Error).message).toContain("Invalid API key");
    expect(simulator.assets()).toEqual([]);
    expect(everythingShown(fromBatch)).not.toContain(WRONG_KEY);
  });

  it("throws RateLimitedError with Vidori's Retry-After on a 429", async () => {
    // Prepare
    simulator.server.faults.rateLimit({ times: 1, retryAfterSeconds: 7 });
    // Act
    const error = await captured(() => client.importBatch(videos(2)));
    // Assess
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(7);
    expect(simulator.assets()).toEqual([]);
  });

  it("throws ProviderUnavailableError on a 500", async () => {
    // Prepare
    simulator.server.faults.unavailable({ times: 1 });
    // Act
    const error = await captured(() => client.importBatch(videos(2)));
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).status).toBe(500);
    expect((error as Error).message).toContain("Internal server error");
  });

  it("throws ProviderOutcomeUnknownError when the connection drops, and does not send the import again", async () => {
    // Prepare
    simulator.server.faults.dropConnection({ times: 1 });
    // Act
    const error = await captured(() => client.importBatch(videos(2)));
    // Assess
    expect(error).toBeInstanceOf(ProviderOutcomeUnknownError);
    expect(simulator.requests()).toBe(1);
  });

  it("calls an import whose answer is not JSON an unknown outcome: Vidori acted, its ids are lost", async () => {
    // Prepare
    simulator.server.faults.malformedBody({ times: 1 });
    // Act
    const error = await captured(() => client.importBatch(videos(2)));
    // Assess
    expect(error).toBeInstanceOf(ProviderOutcomeUnknownError);
    expect((error as Error).message).toContain("not JSON");
  });

  it("refuses a batch of more than 50 before sending anything", async () => {
    // Prepare
    const assets = videos(MAX_ASSETS_PER_REQUEST + 1);
    // Act
    const error = await captured(() => client.importBatch(assets));
    // Assess
    expect(error).toBeInstanceOf(RangeError);
    expect(simulator.requests()).toBe(0);
  });

  it("never puts the key in what it returns or in the errors of a failing run", async () => {
    // Prepare
    simulator.rejectUrlsMatching(/broken/, "Source could not be downloaded");
    simulator.server.faults.rateLimit({ times: 1, retryAfterSeconds: 2 });
    // Act
    const limited = await captured(() => client.importBatch(videos(1)));
    const outcomes = await client.importBatch([
      ...videos(1),
      { url: "https://cdn.example.com/broken.mp4" },
      { title: "No source" },
    ]);
    // Assess
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["accepted", "failed", "failed"]);
    expect(everythingShown(limited)).not.toContain(API_KEY);
    expect(JSON.stringify(outcomes)).not.toContain(API_KEY);
  });

  it("refuses a missing key or a base URL that is not http(s) without echoing the key", () => {
    // Prepare
    const build = (options: { baseUrl: string; apiKey: string }) => () => new VidoriClient(options);
    // Act + Assess
    expect(build({ baseUrl, apiKey: " " })).toThrow(InvalidInputError);
    expect(build({ baseUrl, apiKey: " " })).toThrow(/apiKey: is missing/);
    expect(build({ baseUrl: "app.vidori.co", apiKey: API_KEY })).toThrow(/baseUrl/);
    expect(build({ baseUrl: "app.vidori.co", apiKey: API_KEY })).not.toThrow(API_KEY);
  });
});

describe("VidoriClient against answers the simulator never gives", () => {
  let stop: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  async function clientFor(answers: { status: number; body: unknown }[]) {
    const server = await scriptedServer(answers);
    stop = server.stop;
    return {
      client: new VidoriClient({ baseUrl: server.baseUrl, apiKey: API_KEY }),
      received: server.received,
    };
  }

  it("re-sends after a 422 only once, mapping the second 422 to the re-sent assets' own positions", async () => {
    // Prepare
    const loc = (position: number, field?: string) => ["body", "assets", position, ...(field ? [field] : [])];
    const { client, received } = await clientFor([
      {
        status: 422,
        body: { detail: [{ loc: loc(0, "title"), msg: "Title too long", type: "value_error" }] },
      },
      { status: 422, body: { detail: [{ loc: loc(1), msg: "Duplicate source", type: "value_error" }] } },
    ]);
    // Act
    const outcomes = await client.importBatch(videos(4), 20);
    // Assess
    expect(received).toHaveLength(2);
    expect((received[1] as { assets: { title: string }[] }).assets.map((asset) => asset.title)).toEqual([
      "Video 1",
      "Video 2",
      "Video 3",
    ]);
    expect(failed(outcomes[0])).toEqual({
      index: 20,
      status: "failed",
      error: "Title too long",
      field: "title",
    });
    expect(failed(outcomes[2])).toEqual({ index: 22, status: "failed", error: "Duplicate source" });
    expect(failed(outcomes[1]).error).toContain("rejected the request a second time");
    expect(failed(outcomes[3]).error).toContain("rejected the request a second time");
  });

  it("throws ProviderProtocolError, naming the created asset ids, when the results do not match the assets", async () => {
    // Prepare
    const result = { asset_id: "asset-1", job_id: "job-1", status: "accepted", warnings: [] };
    const { client } = await clientFor([
      { status: 200, body: { results: [result], accepted: 1, failed: 0 } },
    ]);
    // Act
    const error = await captured(() => client.importBatch(videos(2)));
    // Assess
    expect(error).toBeInstanceOf(ProviderProtocolError);
    expect((error as Error).message).toContain("sent 2 assets but got 1 results");
    expect((error as Error).message).toContain("asset-1");
  });

  it("keeps the key out of an error even when Vidori echoes it back", async () => {
    // Prepare
    const { client } = await clientFor([
      { status: 401, body: { detail: `Invalid API key ${API_KEY}` } },
      { status: 403, body: { message: `key ${API_KEY} is revoked` } },
    ]);
    // Act
    const described = await captured(() => client.importBatch(videos(1)));
    const undescribed = await captured(() => client.importBatch(videos(1)));
    // Assess
    expect(described).toBeInstanceOf(ProviderAuthError);
    expect((described as Error).message).toContain("Invalid API key [redacted]");
    expect(undescribed).toBeInstanceOf(ProviderAuthError);
    expect((undescribed as Error).message).toContain("is revoked");
    expect(everythingShown(described)).not.toContain(API_KEY);
    expect(everythingShown(undescribed)).not.toContain(API_KEY);
  });

  it("throws ProviderProtocolError when the counts disagree with the results", async () => {
    // Prepare
    const result = { asset_id: "asset-1", job_id: "job-1", status: "accepted" };
    const { client } = await clientFor([
      { status: 200, body: { results: [result], accepted: 0, failed: 1 } },
    ]);
    // Act
    const error = await captured(() => client.importBatch(videos(1)));
    // Assess
    expect(error).toBeInstanceOf(ProviderProtocolError);
    expect((error as Error).message).toContain("disagree");
  });

  it("calls an accepted result without ids an unknown outcome, and reads nulls as absent", async () => {
    // Prepare
    const { client } = await clientFor([
      {
        status: 200,
        body: { results: [{ status: "accepted", asset_id: "a", job_id: null }], accepted: 1, failed: 0 },
      },
      {
        status: 200,
        body: {
          results: [
            { status: "accepted", asset_id: "a", job_id: "j", warnings: null, error: null },
            { status: "failed", asset_id: null, error: null },
          ],
          accepted: 1,
          failed: 1,
        },
      },
    ]);
    // Act
    const error = await captured(() => client.importBatch(videos(1)));
    const outcomes = await client.importBatch(videos(2));
    // Assess
    expect(error).toBeInstanceOf(ProviderOutcomeUnknownError);
    expect((error as Error).message).toContain("job_id");
    expect(outcomes[0]).toEqual({ index: 0, status: "accepted", assetId: "a", jobId: "j", warnings: [] });
    expect(failed(outcomes[1]).error).toContain("without a reason");
  });

  it("fails the whole batch with Vidori's words when a 422 body is not a validation list", async () => {
    // Prepare
    const { client, received } = await clientFor([
      { status: 422, body: { detail: "Import quota exhausted" } },
    ]);
    // Act
    const outcomes = await client.importBatch(videos(2));
    // Assess
    expect(received).toHaveLength(1);
    expect(outcomes.map((outcome) => failed(outcome).error)).toEqual([
      "Vidori rejected the whole request: Import quota exhausted",
      "Vidori rejected the whole request: Import quota exhausted",
    ]);
  });
});

describe("validateAsset", () => {
  it.each([
    [{ url: "https://x.example/a.mp4" }, []],
    [{ externalUrl: "https://x.example/a.MPD" }, []],
    [{}, ["url"]],
    [{ url: "https://x.example/a.mp4", externalUrl: "https://x.example/a.m3u8" }, ["url"]],
    [{ url: "not a url" }, ["url"]],
    [{ externalUrl: "https://x.example/m3u8/video.mp4" }, ["externalUrl"]],
    [{ externalUrl: "file:///tmp/a.m3u8" }, ["externalUrl"]],
    [{ url: "https://x.example/a.mp4", type: "movie" }, ["type"]],
    [{ url: "https://x.example/a.mp4", productionYear: 1869 }, ["productionYear"]],
    [{ url: "https://x.example/a.mp4", productionYear: new Date().getUTCFullYear() + 2 }, ["productionYear"]],
    [{ url: "https://x.example/a.mp4", productionYear: "2024" }, ["productionYear"]],
    [{ url: "https://x.example/a.mp4", posterUrl: "poster.jpg" }, ["posterUrl"]],
    [{ url: "https://x.example/a.mp4", genres: ["Drama", " "] }, ["genres"]],
    [{ url: "https://x.example/a.mp4", tags: "new" }, ["tags"]],
    [{ url: "https://x.example/a.mp4", contentGroups: [3] }, ["contentGroups"]],
    [{ url: "https://x.example/a.mp4", title: "" }, ["title"]],
    [{ url: "https://x.example/a.mp4", poster_url: "https://x.example/p.jpg" }, ["poster_url"]],
    ["https://x.example/a.mp4", ["(asset)"]],
  ])("%j -> problems with %j", (asset, fields) => {
    // Prepare: the case.
    // Act
    const problems = validateAsset(asset, 7);
    // Assess
    expect(problems.map((problem) => problem.field)).toEqual(fields);
    for (const problem of problems) expect(problem.message).toMatch(/^asset 7/);
  });

  it("accepts the production years 1870 and next year", () => {
    // Prepare
    const next = new Date().getUTCFullYear() + 1;
    // Act
    const problems = [1870, next].flatMap((year) =>
      validateAsset({ url: "https://x.example/a.mp4", productionYear: year }, 0),
    );
    // Assess
    expect(problems).toEqual([]);
  });

  it("does not show a presigned URL's query or user info in its messages", () => {
    // Prepare
    const asset = { externalUrl: "https://user:pw@bucket.example/a.mp4?X-Amz-Signature=secret" };
    // Act
    const [problem] = validateAsset(asset, 0);
    // Assess
    expect(problem?.message).toContain("https://bucket.example/a.mp4?…");
    expect(problem?.message).not.toMatch(/secret|pw@/);
  });
});

describe("describeVidoriError and isManifestUrl", () => {
  it("reads FastAPI's validation list with our field names, keeping only msg", () => {
    // Prepare
    const body = {
      detail: [
        {
          loc: ["body", "assets", 2, "production_year"],
          msg: "Input should be a valid integer",
          type: "int_type",
          input: "https://bucket.example/a.mp4?X-Amz-Signature=secret",
        },
      ],
    };
    // Act
    const described = describeVidoriError(422, body);
    // Assess
    expect(described).toEqual({
      message: "asset 2 productionYear: Input should be a valid integer",
      field: "productionYear",
    });
  });

  it("reads a plain detail and ignores bodies it does not know", () => {
    // Prepare + Act
    const plain = describeVidoriError(401, { detail: "Invalid API key" });
    const unknown = describeVidoriError(500, { error: 1 });
    // Assess
    expect(plain).toEqual({ message: "Invalid API key" });
    expect(unknown).toBeUndefined();
  });

  it("judges a manifest by its path only", () => {
    // Prepare + Act + Assess
    expect(isManifestUrl("https://cdn.example/master.m3u8?token=a.mp4")).toBe(true);
    expect(isManifestUrl("https://cdn.example/manifest.MPD")).toBe(true);
    expect(isManifestUrl("https://cdn.example/video.mp4?format=.m3u8")).toBe(false);
    expect(isManifestUrl("not a url.m3u8?x")).toBe(true);
  });
});
