import type { S3Client } from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobFiles } from "../../../functions/pipeline/jobFiles";
import { type Job, jobFor, parseJobSpec } from "../../../functions/pipeline/jobSpec";
import { useOutboundNetwork } from "../../../functions/pipeline/outbound/outboundNetwork";
import { sourceReader } from "../../../functions/pipeline/sourceReader";
import type { ApiVideoClient } from "../../../functions/providers/apivideo/ApiVideoClient";
import { InvalidInputError } from "../../../functions/providers/core/InvalidInputError";
import type { VideoDevClient } from "../../../functions/providers/videodev/VideoDevClient";
import { checkVidioInputs } from "../../../functions/providers/vidio/checkInputs";
import { importAssets as importToVidori } from "../../../functions/providers/vidori/importAssets";
import type { VidoriClient } from "../../../functions/providers/vidori/VidoriClient";
import { ingest as ingestToViostream } from "../../../functions/providers/viostream/ingest";
import type { ViostreamClient } from "../../../functions/providers/viostream/ViostreamClient";
import { uploadToApiVideo } from "../../../functions/steps/apivideo/uploadToApiVideo";
import { importMediaToVideoDev } from "../../../functions/steps/videodev/importMediaToVideoDev";

/** A public-looking name that resolves, in this test, to the instance metadata service. */
const SNEAKY = "https://media.partner.test/a.mp4";
const PUBLIC = "https://cdn.example.com/a.mp4";
const s3 = {} as S3Client;
/** Never reached: every refusal comes before a batch is sent and its outcomes written. */
const files = {} as JobFiles;

function job(spec: Record<string, unknown>): Job {
  return parseJobSpec(spec, () => "job-1");
}

/** Every call a fake provider client received, by method name. */
function fakeClient<T>(answers: Record<string, unknown>) {
  const calls: string[] = [];
  const client = new Proxy(
    {},
    {
      get: (_target, method: string) => async () => {
        calls.push(method);
        return answers[method];
      },
    },
  ) as T;
  return { client, calls };
}

async function refusalOf(promise: Promise<unknown>): Promise<InvalidInputError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  return error as InvalidInputError;
}

describe("URLs handed to providers that pull them", () => {
  let restore: () => void = () => undefined;
  beforeEach(() => {
    restore = useOutboundNetwork({
      resolve: async (hostname) =>
        hostname === "media.partner.test"
          ? [{ address: "169.254.169.254", family: 4 }]
          : [{ address: "93.184.216.34", family: 4 }],
      get: () => Promise.reject(new Error("nothing is fetched here")),
    });
  });
  afterEach(() => restore());

  it("video.dev: refuses the import before asking video.dev", async () => {
    // Prepare
    const { client, calls } = fakeClient<VideoDevClient>({});

    // Act
    const error = await refusalOf(
      importMediaToVideoDev(
        client,
        s3,
        jobFor(job({ provider: "videodev", source: { url: SNEAKY } }), "videodev"),
      ),
    );

    // Assess
    expect(error.problems[0]).toMatchObject({ field: "sources.0.url", value: SNEAKY });
    expect(calls).toEqual([]);
  });

  it("Viostream: refuses the ingest before creating it", async () => {
    // Prepare
    const { client, calls } = fakeClient<ViostreamClient>({ findMediaByReferenceId: undefined });

    // Act
    const error = await refusalOf(
      ingestToViostream(
        client,
        s3,
        jobFor(job({ provider: "viostream", source: { url: SNEAKY } }), "viostream"),
      ),
    );

    // Assess
    expect(error.field).toBe("sources.0.url");
    expect(calls).not.toContain("createIngest");
  });

  it("api.video: refuses a URL source before creating the video", async () => {
    // Prepare
    const { client, calls } = fakeClient<ApiVideoClient>({ findVideoByJobId: undefined });
    const apiVideoJob = jobFor(job({ provider: "apivideo", source: { url: SNEAKY } }), "apivideo");

    // Act
    const error = await refusalOf(
      uploadToApiVideo(
        apiVideoJob,
        undefined,
        { apiVideo: client, reader: { byteSource: async () => never() } },
        () => true,
      ),
    );

    // Assess
    expect(error.field).toBe("sources.0.url");
    expect(calls).not.toContain("createVideo");
  });

  it("Vidori: refuses a source URL or a poster URL before the batch is sent", async () => {
    // Prepare
    const { client, calls } = fakeClient<VidoriClient>({ importBatch: [] });
    const badSource = jobFor(
      job({ provider: "vidori", sources: [{ url: PUBLIC }, { url: SNEAKY }] }),
      "vidori",
    );
    const badPoster = jobFor(
      job({ provider: "vidori", sources: [{ url: PUBLIC }], vidori: { posterUrl: SNEAKY } }),
      "vidori",
    );

    // Act
    const source = await refusalOf(importToVidori(client, s3, files, badSource, []));
    const poster = await refusalOf(importToVidori(client, s3, files, badPoster, []));

    // Assess
    expect(source.field).toBe("sources.1.url");
    expect(poster.field).toBe("vidori.posterUrl");
    expect(calls).toEqual([]);
  });

  it("VIDIO: names each refused input when the inputs are checked, fetching none", async () => {
    // Prepare
    const vidioJob = jobFor(job({ provider: "vidio", sources: [{ url: SNEAKY }, { url: SNEAKY }] }), "vidio");

    // Act
    const error = await refusalOf(checkVidioInputs(vidioJob, sourceReader(s3)));

    // Assess
    expect(error.problems.map((problem) => problem.field)).toEqual(["sources.0.url", "sources.1.url"]);
  });
});

function never(): never {
  throw new Error("an S3 object was opened for a URL source");
}
