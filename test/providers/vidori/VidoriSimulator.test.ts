import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { importResponseSchema, validationErrorSchema } from "../../../functions/providers/vidori/schemas";
import {
  DEFAULT_SIMULATOR_API_KEY,
  IMPORT_ROUTE,
  VidoriSimulator,
} from "../../../functions/providers/vidori/VidoriSimulator";

/** The fields these tests read from the simulator's JSON answers. */
interface Answer {
  detail: { loc: (string | number)[]; msg: string; type: string }[] | string;
  results: { asset_id?: string; job_id?: string; status: string; warnings?: string[]; error?: string }[];
  accepted: number;
  failed: number;
}

describe("VidoriSimulator", () => {
  let simulator: VidoriSimulator;
  let baseUrl: string;

  beforeEach(async () => {
    simulator = new VidoriSimulator();
    baseUrl = await simulator.start();
  });

  afterEach(async () => {
    await simulator.stop();
  });

  /** POSTs a raw body to the import route, as any HTTP client would. */
  async function post(body: unknown, key: string | null = simulator.apiKey) {
    const response = await fetch(`${baseUrl}/import`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(key === null ? {} : { "x-api-key": key }) },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Answer,
    };
  }

  it("serves the API under /api/v1 with a fixed default key", async () => {
    // Prepare: the simulator from beforeEach.
    // Act
    const answer = await post({ assets: [{ url: "https://cdn.example.com/a.mp4" }] });
    // Assess
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(simulator.apiKey).toBe(DEFAULT_SIMULATOR_API_KEY);
    expect(DEFAULT_SIMULATOR_API_KEY).toBe("vid_sim0000000000000000000000000000");
    expect(answer.status).toBe(200);
    expect(simulator.server.count(IMPORT_ROUTE)).toBe(1);
  });

  it("answers 401 without the key, with a wrong key, and never echoes the key given", async () => {
    // Prepare
    const wrong = "vid_wrong_SECRET_0000000000000000000";
    // Act
    const missing = await post({ assets: [{ url: "https://cdn.example.com/a.mp4" }] }, null);
    const refused = await post({ assets: [{ url: "https://cdn.example.com/a.mp4" }] }, wrong);
    // Assess
    expect(missing.status).toBe(401);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ detail: "Invalid API key" });
    expect(JSON.stringify(refused.body)).not.toContain(wrong);
    expect(simulator.assets()).toEqual([]);
    expect(simulator.requests()).toBe(2);
  });

  it("checks the key before the body: a bad key with a bad body is a 401, not a 422", async () => {
    // Prepare + Act
    const answer = await post({ assets: [{}] }, "nope");
    // Assess
    expect(answer.status).toBe(401);
  });

  it("answers the documented 422 for an asset with neither url nor external_url", async () => {
    // Prepare + Act
    const answer = await post({ assets: [{ url: "https://cdn.example.com/a.mp4" }, { title: "No source" }] });
    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({
      detail: [
        {
          loc: ["body", "assets", 1],
          msg: "Either 'url' or 'external_url' must be provided",
          type: "value_error",
        },
      ],
    });
    expect(validationErrorSchema.safeParse(answer.body).success).toBe(true);
    expect(simulator.assets()).toEqual([]);
  });

  it("refuses both sources, and an external_url that is not a manifest, naming the asset and field", async () => {
    // Prepare
    const both = { url: "https://cdn.example.com/a.mp4", external_url: "https://cdn.example.com/a.m3u8" };
    const notManifest = { external_url: "https://cdn.example.com/video.mp4" };
    const signedManifest = { external_url: "https://cdn.example.com/hls/master.m3u8?token=abc" };
    // Act
    const answer = await post({ assets: [signedManifest, both, notManifest] });
    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body.detail).toEqual([
      {
        loc: ["body", "assets", 1],
        msg: "Provide either 'url' or 'external_url', not both",
        type: "value_error",
      },
      {
        loc: ["body", "assets", 2, "external_url"],
        msg: "external_url must be an HLS (.m3u8) or DASH (.mpd) manifest URL",
        type: "value_error",
      },
    ]);
  });

  it("refuses a batch of more than 50 as a whole, with a loc that names no asset", async () => {
    // Prepare
    const assets = Array.from({ length: 51 }, (_, index) => ({
      url: `https://cdn.example.com/${index}.mp4`,
    }));
    // Act
    const answer = await post({ assets });
    const fifty = await post({ assets: assets.slice(0, 50) });
    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body.detail).toEqual([
      {
        loc: ["body", "assets"],
        msg: "List should have at most 50 items after validation, not 51",
        type: "too_long",
      },
    ]);
    expect(fifty.status).toBe(200);
    expect(simulator.assets()).toHaveLength(50);
  });

  it("refuses an unknown type and wrongly typed fields in pydantic's words", async () => {
    // Prepare
    const asset = {
      url: "https://cdn.example.com/a.mp4",
      type: "FILM",
      title: 42,
      genres: "Drama",
      tags: ["ok", 7],
      production_year: "twenty",
      content_groups: null,
    };
    // Act
    const answer = await post({ assets: [asset] });
    // Assess
    expect(answer.status).toBe(422);
    const byField = Object.fromEntries(
      (answer.body.detail as { loc: (string | number)[]; msg: string; type: string }[]).map((issue) => [
        issue.loc.slice(3).join("."),
        [issue.msg, issue.type],
      ]),
    );
    expect(byField).toEqual({
      type: ["Input should be 'MOVIE', 'EPISODE', 'SERIES', 'SEASON', 'CHANNEL', 'EVENT' or 'NEWS'", "enum"],
      title: ["Input should be a valid string", "string_type"],
      genres: ["Input should be a valid list", "list_type"],
      "tags.1": ["Input should be a valid string", "string_type"],
      production_year: ["Input should be a valid integer", "int_type"],
    });
  });

  it("answers 422 for a body that is not JSON or has no assets", async () => {
    // Prepare + Act
    const garbled = await post("{not json");
    const empty = await post({});
    const notList = await post({ assets: { url: "https://cdn.example.com/a.mp4" } });
    // Assess
    expect(garbled.status).toBe(422);
    expect((garbled.body.detail as { type: string }[])[0]?.type).toBe("json_invalid");
    expect(empty.body.detail).toEqual([{ loc: ["body", "assets"], msg: "Field required", type: "missing" }]);
    expect((notList.body.detail as { type: string }[])[0]?.type).toBe("list_type");
  });

  it("fails an unusable URL per asset in a 200 answer, with the counts", async () => {
    // Prepare
    const assets = [
      { url: "https://cdn.example.com/good.mp4" },
      { url: "not a url" },
      { external_url: "ftp://cdn.example.com/live.m3u8" },
    ];
    // Act
    const answer = await post({ assets });
    // Assess
    expect(answer.status).toBe(200);
    expect(importResponseSchema.safeParse(answer.body).success).toBe(true);
    expect(answer.body.accepted).toBe(1);
    expect(answer.body.failed).toBe(2);
    expect(answer.body.results[1]).toEqual({ status: "failed", error: "Invalid URL format" });
    expect(answer.body.results[2]).toEqual({ status: "failed", error: "Invalid URL format" });
    expect(answer.body.results[0]).toMatchObject({ status: "accepted", warnings: [] });
  });

  it("fails the URLs a test asks it to, every time, whatever the regex's flags", async () => {
    // Prepare
    simulator.rejectUrlsMatching(/expired/g, "Source returned HTTP 403");
    const assets = [
      { url: "https://bucket.example/expired/1.mp4" },
      { url: "https://bucket.example/expired/2.mp4" },
      { url: "https://bucket.example/fresh/3.mp4" },
    ];
    // Act
    const answer = await post({ assets });
    simulator.clearRejections();
    const later = await post({ assets: assets.slice(0, 1) });
    // Assess
    expect(answer.body.results.map((result) => result.error ?? result.status)).toEqual([
      "Source returned HTTP 403",
      "Source returned HTTP 403",
      "accepted",
    ]);
    expect(later.body.results[0]?.status).toBe("accepted");
    expect(simulator.assets().map((asset) => asset.url)).toEqual([
      "https://bucket.example/fresh/3.mp4",
      "https://bucket.example/expired/1.mp4",
    ]);
  });

  it("answers 422 for a field a test declares invalid, naming the asset and field", async () => {
    // Prepare
    simulator.rejectFieldMatching("genres", /^Banned$/, "Unknown genre");
    // Act
    const answer = await post({
      assets: [
        { url: "https://cdn.example.com/a.mp4", genres: ["Drama"] },
        { url: "https://cdn.example.com/b.mp4", genres: ["Drama", "Banned"] },
      ],
    });
    // Assess
    expect(answer.status).toBe(422);
    expect(answer.body.detail).toEqual([
      { loc: ["body", "assets", 1, "genres"], msg: "Unknown genre", type: "value_error" },
    ]);
    expect(simulator.assets()).toEqual([]);
  });

  it("matches content groups case-insensitively and warns about the unknown ones", async () => {
    // Prepare
    const asset = {
      url: "https://cdn.example.com/kids/cartoon.mp4",
      content_groups: ["kids", "NEW RELEASES", "Cult Classics"],
    };
    // Act
    const answer = await post({ assets: [asset] });
    // Assess
    expect(answer.body.results[0]?.warnings).toEqual(["Content group 'Cult Classics' not found"]);
    expect(simulator.assets()[0]?.contentGroups).toEqual(["Kids", "New Releases"]);
  });

  it("records accepted assets with Vidori's defaults: type MOVIE and a title from the file name", async () => {
    // Prepare
    const asset = { url: "https://cdn.example.com/films/The%20General.mp4", genres: ["Comedy"] };
    // Act
    const answer = await post({ assets: [asset] });
    // Assess
    const [record] = simulator.assets();
    expect(record).toMatchObject({
      title: "The General",
      type: "MOVIE",
      url: asset.url,
      genres: ["Comedy"],
      tags: [],
      contentGroups: [],
    });
    expect(answer.body.results[0]).toEqual({
      asset_id: record?.assetId,
      job_id: record?.jobId,
      status: "accepted",
      warnings: [],
    });
  });

  it("speaks Vidori's error format for injected faults and unknown routes", async () => {
    // Prepare
    simulator.server.faults.rateLimit({ times: 1, retryAfterSeconds: 9 }).unavailable({ times: 1 });
    const asset = { assets: [{ url: "https://cdn.example.com/a.mp4" }] };
    // Act
    const limited = await post(asset);
    const broken = await post(asset);
    const missing = await fetch(`${baseUrl}/assets`, { headers: { "x-api-key": simulator.apiKey } });
    // Assess
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("9");
    expect(limited.body).toEqual({ detail: "Rate limit exceeded" });
    expect(broken.status).toBe(500);
    expect(broken.body).toEqual({ detail: "Internal server error" });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: "Not Found" });
    expect(simulator.requests()).toBe(2);
    expect(simulator.assets()).toEqual([]);
  });

  it("hands out copies: changing what assets() returns does not change the simulator", async () => {
    // Prepare
    await post({ assets: [{ url: "https://cdn.example.com/a.mp4", tags: ["x"] }] });
    // Act
    simulator.assets()[0]?.tags.push("changed");
    // Assess
    expect(simulator.assets()[0]?.tags).toEqual(["x"]);
  });
});
