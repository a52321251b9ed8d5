import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeFailure } from "../../../functions/handlers/core/stepFailure";
import { invalidOption } from "../../../functions/providers/core/clientOptions";
import {
  InvalidInputError,
  parseOrThrow,
  previewValue,
} from "../../../functions/providers/core/InvalidInputError";
import { VideoDevClient } from "../../../functions/providers/videodev/VideoDevClient";
import { VidioClient } from "../../../functions/providers/vidio/VidioClient";
import { VidoriClient } from "../../../functions/providers/vidori/VidoriClient";
import { ViostreamClient } from "../../../functions/providers/viostream/ViostreamClient";

const PRESIGNED = "https://bucket.s3.amazonaws.com/in/a.mp4?X-Amz-Credential=AKIA&X-Amz-Signature=topsecret";

function caught(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("InvalidInputError", () => {
  it("names the provider, the operation and the first field, and lists every problem", () => {
    // Prepare
    const schema = z.object({ clipId: z.string().min(1, "must not be empty"), startMs: z.number() });

    // Act
    const error = caught(() =>
      parseOrThrow(schema, { clipId: "", startMs: "0" }, "input", { provider: "acme", operation: "cut" }),
    ) as InvalidInputError;

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.name).toBe("InvalidInputError");
    expect(error.field).toBe("clipId");
    expect(error.provider).toBe("acme");
    expect(error.operation).toBe("cut");
    expect(error.problems.map((problem) => problem.field)).toEqual(["clipId", "startMs"]);
    expect(error.message).toMatch(
      /^acme cut: input is invalid: clipId: must not be empty \(got ""\); startMs: /,
    );
  });

  it("names a lone value by the field it stands for", () => {
    // Act
    const error = caught(() =>
      parseOrThrow(z.string().min(1, "must not be empty"), "", "input", { root: "mediaId" }),
    ) as InvalidInputError;

    // Assess
    expect(error.field).toBe("mediaId");
    expect(error.message).toBe('input is invalid: mediaId: must not be empty (got "")');
  });

  it("never shows a presigned URL's signature or a URL's user info, in the message or the problems", () => {
    // Prepare
    const schema = z.object({ source: z.object({ url: z.url({ protocol: /^ftp$/ }) }), poster: z.number() });
    const input = { source: { url: PRESIGNED }, poster: "https://user:pw@cdn.example/p.jpg?token=abc" };

    // Act
    const error = caught(() => parseOrThrow(schema, input, "job spec")) as InvalidInputError;
    const shown = `${error.message}\n${JSON.stringify(error.problems)}`;

    // Assess
    expect(shown).toContain("https://bucket.s3.amazonaws.com/in/a.mp4?…");
    expect(shown).toContain("https://cdn.example/p.jpg?…");
    expect(shown).not.toMatch(/topsecret|AKIA|pw@|token=abc/);
  });

  it("shows bytes and streams by their kind, and cuts long values short", () => {
    // Act
    const shown = [
      previewValue(new Uint8Array(5)),
      previewValue(new ReadableStream()),
      previewValue("x".repeat(500)),
      previewValue(undefined),
    ];

    // Assess
    expect(shown[0]).toBe('"5 bytes"');
    expect(shown[1]).toBe('"a ReadableStream"');
    expect(shown[2]).toBe(`"${"x".repeat(120)}…"`);
    expect(shown[3]).toBe("undefined");
  });

  it("says an option is wrong without showing a key", () => {
    // Act
    const error = invalidOption("acme", "apiKey", "is missing or empty");

    // Assess
    expect(error.message).toBe("acme configure: configuration is invalid: apiKey: is missing or empty");
    expect(error.problems).toEqual([{ field: "apiKey", problem: "is missing or empty" }]);
  });
});

describe("every provider client's input error in a step failure", () => {
  it.each([
    {
      provider: "videodev",
      act: () =>
        new VideoDevClient({ baseUrl: "http://x.invalid", apiKey: "k" }).importMedia({
          sourceMediaUrl: "nope",
        }),
      field: "sourceMediaUrl",
    },
    {
      provider: "vidio",
      act: () => new VidioClient({ baseUrl: "http://x.invalid", apiKey: "k" }).getJob(" "),
      field: "jobId",
    },
    {
      provider: "viostream",
      act: () =>
        new ViostreamClient({
          baseUrl: "http://x.invalid",
          credentials: { accessKey: "VC-a", apiKey: "k" },
        }).getIngestStatus(""),
      field: "ingestId",
    },
    {
      provider: "vidori",
      act: () => new VidoriClient({ baseUrl: "http://x.invalid", apiKey: "k" }).importBatch("x" as never),
      field: "assets",
    },
  ])("keeps $provider's field", async ({ provider, act, field }) => {
    // Act
    const error = await act().catch((thrown: unknown) => thrown);
    const detail = describeFailure(error, "step");

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).provider).toBe(provider);
    expect(detail).toMatchObject({
      error: "InvalidInputError",
      problems: [expect.objectContaining({ field })],
    });
  });
});
