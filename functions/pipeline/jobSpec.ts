import { randomUUID } from "node:crypto";
import { z } from "zod";
import { CROP_ASPECT_RATIOS } from "../providers/videodev/schemas";
import { InvalidInputError, parseOrThrow } from "./InvalidInputError";

/** The providers this pipeline can run a job through. */
export const PROVIDERS = ["apivideo", "videodev"] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Job ids double as Step Functions execution names, hence the character set and length. */
const jobId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,80}$/, "must be 1-80 letters, digits, '-' or '_' (it names the execution)");

const source = z
  .object({
    bucket: z.string().min(3, "must be an S3 bucket name").optional(),
    key: z.string().min(1, "must be a non-empty S3 key").optional(),
    url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  })
  .strict()
  .superRefine((value, context) => {
    const hasS3 = value.bucket !== undefined || value.key !== undefined;
    if (hasS3 && value.url !== undefined) {
      context.addIssue({
        code: "custom",
        message: "give either bucket + key or url, not both",
        path: ["url"],
      });
    } else if (!hasS3 && value.url === undefined) {
      context.addIssue({ code: "custom", message: "give bucket + key (an S3 object) or url" });
    } else if (hasS3 && value.bucket === undefined) {
      context.addIssue({ code: "custom", message: "an S3 source needs its bucket", path: ["bucket"] });
    } else if (hasS3 && value.key === undefined) {
      context.addIssue({ code: "custom", message: "an S3 source needs its key", path: ["key"] });
    }
  });

const common = {
  jobId: jobId.optional(),
  title: z.string().trim().min(1, "must not be empty").max(256, "must be at most 256 characters").optional(),
  source,
};

const apiVideoOptions = z
  .object({
    public: z.boolean().default(true),
    mp4Support: z.boolean().default(true),
    tags: z.array(z.string().min(1)).max(50).default([]),
    /** api.video accepts chunks of 5-128 MiB; 50 keeps a 1 GiB file to about 20 requests. */
    chunkSizeMiB: z.number().int().min(5, "must be at least 5").max(128, "must be at most 128").default(50),
  })
  .strict();

const videoDevOptions = z
  .object({
    clip: z
      .object({
        startMs: z.number().int().min(0, "must be 0 or more").default(0),
        /** Omitted: the clip runs to the end of the media, as video.dev measured it. */
        endMs: z.number().int().positive("must be more than 0").optional(),
      })
      .strict()
      .refine((clip) => clip.endMs === undefined || clip.endMs > clip.startMs, {
        message: "must be greater than clip.startMs",
        path: ["endMs"],
      })
      .default({ startMs: 0 }),
    crop: z
      .object({
        enabled: z.boolean().default(true),
        aspectRatio: z.enum(CROP_ASPECT_RATIOS, {
          error: `must be one of ${CROP_ASPECT_RATIOS.join(", ")}`,
        }),
        smartCrop: z.boolean().default(true),
      })
      .strict()
      .default({ enabled: true, aspectRatio: "9:16", smartCrop: true }),
  })
  .strict();

/** A job as a user writes it: `jobId` may be left out and is then generated. */
export const JobSpecSchema = z.discriminatedUnion(
  "provider",
  [
    z.strictObject({
      ...common,
      provider: z.literal("apivideo"),
      apivideo: apiVideoOptions.default(apiVideoOptions.parse({})),
    }),
    z.strictObject({
      ...common,
      provider: z.literal("videodev"),
      videodev: videoDevOptions.default(videoDevOptions.parse({})),
    }),
  ],
  { error: `provider must be one of ${PROVIDERS.join(", ")}` },
);
export type JobSpec = z.input<typeof JobSpecSchema>;

/** A job as the pipeline carries it: defaults applied and `jobId` set. */
export const JobSchema = JobSpecSchema.and(z.object({ jobId }));
export type Job = z.output<typeof JobSpecSchema> & { jobId: string };
export type ApiVideoJob = Extract<Job, { provider: "apivideo" }>;
export type VideoDevJob = Extract<Job, { provider: "videodev" }>;
export type JobSource = Job["source"];

/** Validates a job spec (an InvalidInputError names every bad field and value) and fills in defaults. */
export function parseJobSpec(input: unknown, makeJobId: () => string = randomUUID): Job {
  const spec = parseOrThrow(JobSpecSchema, input, "job spec");
  return { ...spec, jobId: spec.jobId ?? makeJobId() };
}

/** The title a provider shows for the job: the given one, or the source's file name. */
export function titleOf(job: Job): string {
  if (job.title) return job.title;
  const path = job.source.key ?? new URL(job.source.url ?? "http://x/video").pathname;
  return path.split("/").filter(Boolean).pop() ?? job.jobId;
}

/** Narrows a job to one provider's, for the steps of that provider; any other is a wiring mistake. */
export function jobFor<P extends Provider>(job: Job, provider: P): Extract<Job, { provider: P }> {
  if (job.provider !== provider) {
    throw new InvalidInputError("step input", [
      { field: "job.provider", problem: `this step serves ${provider}`, value: job.provider },
    ]);
  }
  return job as Extract<Job, { provider: P }>;
}
