import { describe, expect, it } from "vitest";
import { useLocalStack } from "./localStackFixture";

const { context, s3, run } = useLocalStack();
const simulator = () => context.stack.simulators.vidori;

describe("Vidori through the pipeline", () => {
  it("imports every source as an asset, linking manifests, and reports them as accepted", async () => {
    // Act
    const { outcome, entered } = await run({
      provider: "vidori",
      sources: [
        s3("sample-4s-landscape.mp4"),
        { url: "https://cdn.example.com/live/master.m3u8", title: "Live" },
      ],
      vidori: { type: "EPISODE", genres: ["Sport"], contentGroups: ["Featured", "Nope"] },
    });

    // Assess
    expect(outcome).toMatchObject({
      status: "succeeded",
      result: { status: "succeeded", provider: "vidori", accepted: 2, failed: 0 },
    });
    expect(entered).toEqual(["Create", "Publish", "Record result"]);
    const assets = simulator()?.assets() ?? [];
    const linked = assets.find((asset) => asset.title === "Live");
    expect(linked).toMatchObject({
      externalUrl: "https://cdn.example.com/live/master.m3u8",
      type: "EPISODE",
    });
    const result = outcome.status === "succeeded" ? outcome.result : {};
    expect(JSON.stringify(result.assets)).toMatch(/Content group 'Nope' not found/);
    expect(result.note).toMatch(/no status API/);
  });

  it("splits 120 assets into requests of 50 and keeps every outcome in order", async () => {
    // Prepare
    const requestsBefore = simulator()?.requests() ?? 0;
    const sources = Array.from({ length: 120 }, (_, i) => ({ url: `https://cdn.example.com/v/${i}.mp4` }));

    // Act
    const { outcome, entered } = await run({ provider: "vidori", sources });

    // Assess
    expect(outcome).toMatchObject({ status: "succeeded", result: { accepted: 120, failed: 0 } });
    expect((simulator()?.requests() ?? 0) - requestsBefore).toBe(3);
    expect(entered.filter((state) => state === "Create")).toHaveLength(3);
    const assets = outcome.status === "succeeded" ? (outcome.result.assets as { index: number }[]) : [];
    expect(assets.map((asset) => asset.index)).toEqual(sources.map((_, i) => i));
  });

  it("keeps a partly refused batch: accepted assets stay accepted, refused ones say why", async () => {
    // Prepare
    simulator()?.rejectUrlsMatching(/bad/, "Invalid URL format");

    // Act
    const { outcome } = await run({
      provider: "vidori",
      sources: [{ url: "https://cdn.example.com/good.mp4" }, { url: "https://cdn.example.com/bad.mp4" }],
    });

    // Assess
    expect(outcome).toMatchObject({
      status: "succeeded",
      result: { status: "partial", accepted: 1, failed: 1 },
    });
    const assets = outcome.status === "succeeded" ? (outcome.result.assets as Record<string, unknown>[]) : [];
    expect(assets[0]).toMatchObject({ status: "accepted", source: expect.stringMatching(/good\.mp4/) });
    expect(assets[1]).toMatchObject({
      status: "failed",
      error: "Invalid URL format",
      source: expect.stringMatching(/bad\.mp4/),
    });
  });

  it("waits out a 429 and sends only the batch that was refused", async () => {
    // Prepare
    const sources = Array.from({ length: 60 }, (_, i) => ({ url: `https://cdn.example.com/s/${i}.mp4` }));
    simulator()?.server.faults.rateLimit({ times: 1, retryAfterSeconds: 3, after: 1 });
    const acceptedBefore = simulator()?.assets().length ?? 0;

    // Act
    const { outcome, entered } = await run({ provider: "vidori", sources });

    // Assess
    expect(outcome).toMatchObject({ status: "succeeded", result: { accepted: 60 } });
    expect(entered).toContain("Wait Retry-After");
    expect((simulator()?.assets().length ?? 0) - acceptedBefore).toBe(60);
  });

  it("fails the job with the reasons when Vidori refuses every asset", async () => {
    simulator()?.rejectUrlsMatching(/./, "Invalid URL format");
    const { outcome } = await run({
      provider: "vidori",
      sources: [{ url: "https://cdn.example.com/x.mp4" }],
    });
    expect(outcome).toMatchObject({
      status: "failed",
      record: { provider: "vidori", error: "ProviderRejectedError" },
    });
    expect(outcome.status === "failed" && String(outcome.record.message)).toMatch(
      /accepted none.*Invalid URL format/,
    );
  });
});
