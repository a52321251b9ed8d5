import { describe, expect, it } from "vitest";
import { parseJobSpec, titleOf } from "../../functions/pipeline/jobSpec";
import { InvalidInputError } from "../../functions/providers/core/InvalidInputError";

const s3Source = { bucket: "media-inbox", key: "inbox/match.mp4" };

function problemsOf(input: unknown) {
  try {
    parseJobSpec(input, () => "generated");
  } catch (error) {
    if (error instanceof InvalidInputError) return { message: error.message, problems: error.problems };
    throw error;
  }
  throw new Error("expected the job spec to be rejected");
}

describe("parseJobSpec", () => {
  it("fills in defaults and a job id", () => {
    // Act
    const job = parseJobSpec({ provider: "videodev", source: s3Source }, () => "job-1");

    // Assess
    expect(job).toMatchObject({
      jobId: "job-1",
      provider: "videodev",
      videodev: { clip: { startMs: 0 }, crop: { enabled: true, aspectRatio: "9:16", smartCrop: true } },
    });
  });

  it("keeps a given job id and api.video options", () => {
    const job = parseJobSpec({
      jobId: "nightly-42",
      provider: "apivideo",
      source: { url: "https://cdn.example.com/a.mp4" },
      apivideo: { public: false, chunkSizeMiB: 8 },
    });
    expect(job).toMatchObject({
      jobId: "nightly-42",
      apivideo: { public: false, chunkSizeMiB: 8, mp4Support: true },
    });
  });

  it("names the field and the value of a bad aspect ratio", () => {
    // Act
    const { message, problems } = problemsOf({
      provider: "videodev",
      source: s3Source,
      videodev: { crop: { aspectRatio: "2:1" } },
    });

    // Assess
    expect(problems).toEqual([expect.objectContaining({ field: "videodev.crop.aspectRatio", value: "2:1" })]);
    expect(message).toContain("videodev.crop.aspectRatio");
    expect(message).toContain('(got "2:1")');
  });

  it("reports every bad field at once", () => {
    const { problems } = problemsOf({
      jobId: "has spaces",
      provider: "videodev",
      source: s3Source,
      videodev: { clip: { startMs: 3000, endMs: 1000 } },
    });
    expect(problems.map((problem) => problem.field).sort()).toEqual(["jobId", "videodev.clip.endMs"]);
  });

  it("rejects an unknown provider by name", () => {
    const { problems } = problemsOf({ provider: "youtube", source: s3Source });
    expect(problems[0]).toMatchObject({ field: "provider", value: "youtube" });
  });

  it("takes one source or several, and carries them as sources", () => {
    // Act
    const one = parseJobSpec({ provider: "apivideo", source: s3Source });
    const several = parseJobSpec({
      provider: "vidio",
      sources: [s3Source, { url: "https://cdn.example.com/b.mov", title: "B" }],
      vidio: { videoCategory: "travel", aspectRatio: "portrait", outputLengthSeconds: 20 },
    });

    // Assess
    expect(one.sources).toEqual([s3Source]);
    expect(several).toMatchObject({
      sources: [s3Source, { url: "https://cdn.example.com/b.mov", title: "B" }],
      vidio: { videoCategory: "travel", aspectRatio: "portrait", outputLengthSeconds: 20 },
    });
  });

  it("limits sources to what the provider takes", () => {
    expect(problemsOf({ provider: "apivideo", sources: [s3Source, s3Source] }).problems[0]).toMatchObject({
      field: "sources",
      problem: expect.stringMatching(/at most 1 source per job \(got 2\)/),
    });
    expect(problemsOf({ provider: "vidio", source: s3Source, sources: [s3Source] }).problems[0]?.field).toBe(
      "sources",
    );
    expect(problemsOf({ provider: "vidio" }).problems[0]?.field).toBe("source");
    expect(problemsOf({ provider: "vidori", sources: [s3Source, { url: "nope" }] }).problems[0]?.field).toBe(
      "sources.1.url",
    );
  });

  it("names the field and value of bad VIDIO and Vidori options", () => {
    expect(
      problemsOf({ provider: "vidio", source: s3Source, vidio: { videoCategory: "cats" } }).problems[0],
    ).toMatchObject({
      field: "vidio.videoCategory",
      value: "cats",
    });
    expect(
      problemsOf({ provider: "vidio", source: s3Source, vidio: { outputLengthSeconds: 2.5 } }).problems[0],
    ).toMatchObject({
      field: "vidio.outputLengthSeconds",
      value: 2.5,
    });
    expect(
      problemsOf({ provider: "vidori", source: s3Source, vidori: { type: "FILM" } }).problems[0],
    ).toMatchObject({
      field: "vidori.type",
      value: "FILM",
    });
  });

  it("needs exactly one kind of source", () => {
    expect(problemsOf({ provider: "apivideo", source: {} }).problems[0]?.field).toBe("source");
    expect(
      problemsOf({ provider: "apivideo", source: { ...s3Source, url: "https://x.example/a.mp4" } })
        .problems[0]?.field,
    ).toBe("source.url");
    expect(problemsOf({ provider: "apivideo", source: { key: "a.mp4" } }).problems[0]?.field).toBe(
      "source.bucket",
    );
    expect(
      problemsOf({ provider: "apivideo", source: { url: "ftp://x.example/a.mp4" } }).problems[0],
    ).toMatchObject({
      field: "source.url",
      value: "ftp://x.example/a.mp4",
    });
  });

  it("rejects chunk sizes api.video would refuse", () => {
    const { problems } = problemsOf({
      provider: "apivideo",
      source: s3Source,
      apivideo: { chunkSizeMiB: 200 },
    });
    expect(problems[0]).toMatchObject({ field: "apivideo.chunkSizeMiB", value: 200 });
  });

  it("rejects options of another provider instead of ignoring them", () => {
    const { problems } = problemsOf({ provider: "apivideo", source: s3Source, videodev: {} });
    expect(problems).toEqual([{ field: "videodev", problem: "is not a known field", value: {} }]);
  });
});

describe("titleOf", () => {
  it("uses the file name when no title is given", () => {
    expect(titleOf(parseJobSpec({ provider: "apivideo", source: s3Source }))).toBe("match.mp4");
    expect(
      titleOf(parseJobSpec({ provider: "apivideo", source: { url: "https://x.example/v/clip.mov?sig=1" } })),
    ).toBe("clip.mov");
    expect(titleOf(parseJobSpec({ provider: "apivideo", source: s3Source, title: "Final" }))).toBe("Final");
  });
});
