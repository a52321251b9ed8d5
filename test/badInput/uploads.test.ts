import type { Context, S3Event } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { createUploadHandler } from "../../functions/handlers/uploads/startJobFromUpload";
import type { FieldProblem } from "../../functions/providers/core/InvalidInputError";
import type { UploadOutcome } from "../../functions/uploads/startJobFromUpload";
import { LocalJobRuns } from "../../local/LocalJobRuns";
import { fakeBucket } from "../unit/fakeBucket";
import { BAD_SPECS, type BadSpec, expectNamed, GOOD_SPECS, WHOLE } from "./badSpecs";

const BUCKET = "vidstep-sources";
/** A sidecar's spec: the upload itself is the source and names the job. */
const SIDECAR_SPEC = { provider: "vidio" };
const MAX_SIDECAR_BYTES = 64 * 1024;

let bucket: ReturnType<typeof fakeBucket>;
let runs: LocalJobRuns;
let handle: (key: string) => Promise<UploadOutcome[]>;

beforeEach(() => {
  // Prepare: executions never end, so a test sees exactly the executions it started.
  bucket = fakeBucket();
  runs = new LocalJobRuns({ run: () => new Promise(() => undefined) });
  const handler = createUploadHandler(async () => ({ runs, s3: bucket.s3, bucket: BUCKET }));
  handle = (key) => {
    const body = bucket.objects.get(key) ?? "";
    const event = {
      Records: [
        {
          eventName: "ObjectCreated:Put",
          s3: {
            bucket: { name: BUCKET },
            object: { key, eTag: bucket.etagOf(body), size: body.length, sequencer: "00A" },
          },
        },
      ],
    } as unknown as S3Event;
    return handler(event, {} as Context);
  };
});

/** Uploads a sidecar, then its video, and returns what the video's upload did and the rejection written. */
async function uploadWithSidecar(sidecar: string | Uint8Array) {
  bucket.objects.set("inbox/clip.job.json", sidecar);
  await handle("inbox/clip.job.json");
  bucket.objects.set("inbox/clip.mp4", "video bytes");
  const [outcome] = await handle("inbox/clip.mp4");
  const written = bucket.objects.get("inbox/clip.errors.json");
  const rejection = written === undefined ? undefined : JSON.parse(String(written));
  return { outcome, rejection: rejection as { problems: FieldProblem[]; message: string } | undefined };
}

/** What a bad spec does in a sidecar: the same, unless it is too large to be read as one. */
function asSidecar(bad: BadSpec): BadSpec {
  const size = new Blob([bad.body(SIDECAR_SPEC)]).size;
  return size > MAX_SIDECAR_BYTES ? { ...bad, field: WHOLE, value: `${size} bytes` } : bad;
}

const sidecarOnly: BadSpec[] = [
  {
    name: "a source",
    body: () => JSON.stringify({ ...SIDECAR_SPEC, source: { url: "https://media.example.com/a.mp4" } }),
    field: "source",
    value: "media.example.com",
  },
  {
    name: "sources",
    body: () => JSON.stringify({ ...SIDECAR_SPEC, sources: [{ bucket: "other", key: "x.mp4" }] }),
    field: "sources",
    value: "x.mp4",
  },
  {
    name: "a jobId",
    body: () => JSON.stringify({ ...SIDECAR_SPEC, jobId: "mine" }),
    field: "jobId",
    value: "mine",
  },
  {
    name: "a 70 KB spec",
    body: () => JSON.stringify({ ...SIDECAR_SPEC, title: "t".repeat(70_000) }),
    field: WHOLE,
    value: "bytes",
  },
];

describe("a bad sidecar under inbox/ is rejected in <name>.errors.json, naming the field and the value", () => {
  const cases = [...BAD_SPECS.filter((bad) => !bad.setsSourceOrJobId).map(asSidecar), ...sidecarOnly];
  it.each(cases.map((bad) => [bad.name, bad] as const))("%s", async (_name, bad) => {
    // Act
    const { outcome, rejection } = await uploadWithSidecar(bad.body(SIDECAR_SPEC));

    // Assess
    expect(outcome).toMatchObject({ outcome: "rejected", rejection: "inbox/clip.errors.json" });
    expectNamed(rejection?.problems, bad, "(root)");
    expect(runs.names()).toEqual([]);
  });

  it.each(GOOD_SPECS.map((good) => [good.name, good] as const))("accepts %s", async (_name, good) => {
    // Act
    const { outcome, rejection } = await uploadWithSidecar(good.body(SIDECAR_SPEC));

    // Assess
    expect(outcome).toMatchObject({ outcome: "started" });
    expect(rejection).toBeUndefined();
  });
});
