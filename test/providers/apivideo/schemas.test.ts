import { describe, expect, it } from "vitest";
import {
  accessTokenSchema,
  qualityCompletedEventSchema,
  videoSchema,
  videoStatusSchema,
} from "../../../functions/providers/apivideo/schemas";

/** The video object exactly as the seed document prints it (its Python `True` written as JSON). */
const seedVideo = {
  videoId: "vi8PXlHuWN25wPOVtGfBSQkJ",
  title: "My Demo Video",
  description: "",
  public: true,
  panoramic: false,
  mp4Support: true,
  publishedAt: "2021-02-04T01:50:23+00:00",
  createdAt: "2021-02-04T01:50:23+00:00",
  updatedAt: "2021-02-04T01:50:23+00:00",
  tags: [],
  metadata: [],
  source: { type: "upload", uri: "/videos/vi8PXlHuWN25wPOVtGfBSQkJ/source" },
  assets: {
    iframe: '<iframe src="https://embed.api.video/vod/vi8PXlHuWN25wPOVtGfBSQkJ"></iframe>',
    player: "https://embed.api.video/vod/vi8PXlHuWN25wPOVtGfBSQkJ",
    hls: "https://cdn.api.video/vod/vi8PXlHuWN25wPOVtGfBSQkJ/hls/manifest.m3u8",
    thumbnail: "https://cdn.api.video/vod/vi8PXlHuWN25wPOVtGfBSQkJ/thumbnail.jpg",
  },
};

const status = {
  ingest: {
    status: "uploaded",
    filesize: 273579401,
    receivedBytes: [{ from: 0, to: 134217727, total: 273579401 }],
  },
  encoding: {
    playable: true,
    qualities: [
      { quality: "360p", status: "encoded" },
      { quality: "1080p", status: "encoding", type: "hls" },
    ],
    metadata: { width: 424, height: 240, videoCodec: "h264", audioCodec: null },
  },
};

describe("api.video schemas", () => {
  it("read the seed document's video object, and keep fields they do not know", () => {
    // Act
    const video = videoSchema.parse({ ...seedVideo, discarded: false, language: "en" });

    // Assess
    expect(video.assets.hls).toBe(seedVideo.assets.hls);
    expect(video.assets.mp4).toBeUndefined();
    expect((video as Record<string, unknown>).language).toBe("en");
  });

  it("refuse a video without the assets the project reads", () => {
    // Act
    const result = videoSchema.safeParse({ ...seedVideo, assets: { player: seedVideo.assets.player } });

    // Assess
    expect(result.success).toBe(false);
  });

  it("read a status with extra fields, and refuse an unknown quality status", () => {
    // Act
    const read = videoStatusSchema.safeParse({ ...status, encoding: { ...status.encoding, progress: 40 } });
    const unknown = videoStatusSchema.safeParse({
      ...status,
      encoding: { ...status.encoding, qualities: [{ quality: "360p", status: "melting" }] },
    });

    // Assess
    expect(read.success).toBe(true);
    expect(unknown.success).toBe(false);
  });

  it("require every token field the client relies on", () => {
    // Act
    const complete = accessTokenSchema.safeParse({
      token_type: "Bearer",
      expires_in: 3600,
      access_token: "a",
      refresh_token: "r",
    });
    const withoutRefresh = accessTokenSchema.safeParse({
      token_type: "Bearer",
      expires_in: 3600,
      access_token: "a",
    });

    // Assess
    expect(complete.success).toBe(true);
    expect(withoutRefresh.success).toBe(false);
  });

  it("read the documented quality.completed webhook body", () => {
    // Act
    const event = qualityCompletedEventSchema.safeParse({
      type: "video.encoding.quality.completed",
      emittedAt: "2021-01-29T16:46:25.217+01:00",
      videoId: "viXXXXXXXX",
      encoding: "hls",
      quality: "720p",
    });
    const other = qualityCompletedEventSchema.safeParse({ type: "video.source.recorded", videoId: "vi1" });

    // Assess
    expect(event.success).toBe(true);
    expect(other.success).toBe(false);
  });
});
