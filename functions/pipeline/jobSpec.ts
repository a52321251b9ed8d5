import { randomUUID } from "node:crypto";
import { z } from "zod";
import { InvalidInputError, parseOrThrow } from "../providers/core/InvalidInputError";
import { CROP_ASPECT_RATIOS } from "../providers/videodev/schemas";
import { REEL_ASPECT_RATIOS, VIDEO_CATEGORIES } from "../providers/vidio/VidioClient";
import { ASSET_TYPES } from "../providers/vidori/VidoriClient";
import { refuseUnsafeUrl } from "./outbound/outboundUrlProblem";
import { STAGES } from "./stages";

/** The providers this pipeline can run a job through. */
export const PROVIDERS = ["apivideo", "videodev", "vidio", "vidori", "viostream"] as const;
export type Provider = (typeof PROVIDERS)[number];

/** How each provider writes its own name, for people reading output and consoles. */
export const PROVIDER_NAMES: Record<Provider, string> = {
  apivideo: "api.video",
  videodev: "video.dev",
  vidio: "VIDIO",
  vidori: "Vidori",
  viostream: "Viostream",
};

/** How many sources one job may carry: VIDIO's documented 400 inputs; Vidori batches; one elsewhere. */
export const MAX_SOURCES: Record<Provider, number> = {
  apivideo: 1,
  videodev: 1,
  vidio: 400,
  // One job is one execution to follow; bigger catalogs are batch imports. Its lists live in job files.
  vidori: 500,
  viostream: 1,
};

/** Job ids double as Step Functions execution names, hence the character set and length. */
const jobId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,80}$/, "must be 1-80 letters, digits, '-' or '_' (it names the execution)");

const source = z
  .object({
    bucket: z.string().min(3, "must be an S3 bucket name").optional(),
    key: z.string().min(1, "must be a non-empty S3 key").optional(),
    url: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .superRefine(refuseUnsafeUrl)
      .optional(),
    title: z.string().trim().min(1, "must not be empty").max(256).optional(),
    /** The object version to read (a versioned bucket): the one whose upload started the job. */
    versionId: z.string().min(1, "must be a non-empty S3 version id").max(1024).optional(),
    /** The object's ETag when the job started: any other content is refused, not read. */
    etag: z.string().min(1, "must be a non-empty S3 ETag").max(1024).optional(),
  })
  .strict()
  .superRefine((value, context) => {
    const pinned = value.versionId !== undefined || value.etag !== undefined;
    const hasS3 = value.bucket !== undefined || value.key !== undefined || pinned;
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
export type JobSource = z.output<typeof source>;

const title = z.string().trim().min(1, "must not be empty").max(256, "must be at most 256 characters");

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
        aspectRatio: z.enum(CROP_ASPECT_RATIOS, { error: `must be one of ${CROP_ASPECT_RATIOS.join(", ")}` }),
        smartCrop: z.boolean().default(true),
      })
      .strict()
      .default({ enabled: true, aspectRatio: "9:16", smartCrop: true }),
  })
  .strict();

const vidioOptions = z
  .object({
    videoCategory: z
      .enum(VIDEO_CATEGORIES, { error: `must be one of ${VIDEO_CATEGORIES.join(", ")}` })
      .default("others"),
    aspectRatio: z
      .enum(REEL_ASPECT_RATIOS, { error: `must be one of ${REEL_ASPECT_RATIOS.join(", ")}` })
      .default("landscape"),
    /** Omitted: 30 s, or the inputs' total length when that is shorter. */
    outputLengthSeconds: z
      .number()
      .int("must be a whole number of seconds")
      .positive("must be more than 0")
      .optional(),
  })
  .strict();

const vidoriOptions = z
  .object({
    type: z.enum(ASSET_TYPES, { error: `must be one of ${ASSET_TYPES.join(", ")}` }).default("MOVIE"),
    description: z.string().max(5000).optional(),
    genres: z.array(z.string().min(1)).default([]),
    tags: z.array(z.string().min(1)).default([]),
    productionYear: z.number().int("must be a whole year").min(1870).max(2100).optional(),
    posterUrl: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .superRefine(refuseUnsafeUrl)
      .optional(),
    contentGroups: z.array(z.string().min(1)).default([]),
    /** HLS/DASH manifest URLs are linked as Vidori `external_url` (no download or transcode). */
    linkManifests: z.boolean().default(true),
  })
  .strict();

const viostreamOptions = z
  .object({
    /** The title Viostream shows; default: the job's title or the file name. */
    filename: z.string().trim().min(1).max(256).optional(),
  })
  .strict();

/** Each provider's own options, under its own key; defaults make every key optional. */
const PROVIDER_OPTIONS = {
  apivideo: { apivideo: apiVideoOptions.default(apiVideoOptions.parse({})) },
  videodev: { videodev: videoDevOptions.default(videoDevOptions.parse({})) },
  vidio: { vidio: vidioOptions.default(vidioOptions.parse({})) },
  vidori: { vidori: vidoriOptions.default(vidoriOptions.parse({})) },
  viostream: { viostream: viostreamOptions.default(viostreamOptions.parse({})) },
} as const;

function variants<S extends z.ZodRawShape>(shape: S) {
  return [
    z.strictObject({ ...shape, provider: z.literal("apivideo"), ...PROVIDER_OPTIONS.apivideo }),
    z.strictObject({ ...shape, provider: z.literal("videodev"), ...PROVIDER_OPTIONS.videodev }),
    z.strictObject({ ...shape, provider: z.literal("vidio"), ...PROVIDER_OPTIONS.vidio }),
    z.strictObject({ ...shape, provider: z.literal("vidori"), ...PROVIDER_OPTIONS.vidori }),
    z.strictObject({ ...shape, provider: z.literal("viostream"), ...PROVIDER_OPTIONS.viostream }),
  ] as const;
}

const providerError = { error: `provider must be one of ${PROVIDERS.join(", ")}` };

/** A job as a user writes it: one `source` or several `sources`; `jobId` may be left out. */
export const JobSpecSchema = z
  .discriminatedUnion(
    "provider",
    variants({
      jobId: jobId.optional(),
      title: title.optional(),
      source: source.optional(),
      sources: z.array(source).min(1, "must list at least one source").optional(),
    }),
    providerError,
  )
  .superRefine((spec, context) => {
    if (spec.source !== undefined && spec.sources !== undefined) {
      context.addIssue({ code: "custom", message: "give source or sources, not both", path: ["sources"] });
      return;
    }
    if (spec.source === undefined && spec.sources === undefined) {
      context.addIssue({ code: "custom", message: "give a source (or sources)", path: ["source"] });
      return;
    }
    const count = spec.sources?.length ?? 1;
    const max = MAX_SOURCES[spec.provider];
    if (count > max) {
      context.addIssue({
        code: "custom",
        message: `${spec.provider} takes at most ${max} source${max === 1 ? "" : "s"} per job (got ${count})`,
        path: ["sources"],
      });
    }
  });
export type JobSpec = z.input<typeof JobSpecSchema>;

/**
 * Where a re-run of a failed job starts: the stage that failed and what the stages before it produced.
 * The state machine restores `progress` and jumps to the stage, so finished work is not repeated.
 */
export const resumePoint = z
  .object({
    stage: z.enum(STAGES, { error: `must be one of ${STAGES.join(", ")}` }),
    progress: z.record(z.string(), z.unknown()),
  })
  .strict();
export type ResumePoint = z.output<typeof resumePoint>;

/** A job as the pipeline carries it: defaults applied, `jobId` set, every source in `sources`. */
export const JobSchema = z.discriminatedUnion(
  "provider",
  variants({
    jobId,
    title: title.optional(),
    sources: z.array(source).min(1),
    resume: resumePoint.optional(),
  }),
  providerError,
);
export type Job = z.output<typeof JobSchema>;
export type ApiVideoJob = Extract<Job, { provider: "apivideo" }>;
export type VideoDevJob = Extract<Job, { provider: "videodev" }>;
export type VidioJob = Extract<Job, { provider: "vidio" }>;
export type VidoriJob = Extract<Job, { provider: "vidori" }>;
export type ViostreamJob = Extract<Job, { provider: "viostream" }>;

/** Validates a job spec (an InvalidInputError names every bad field and value) and fills in defaults. */
export function parseJobSpec(input: unknown, makeJobId: () => string = randomUUID): Job {
  const { source: one, sources, jobId: given, ...spec } = parseOrThrow(JobSpecSchema, input, "job spec");
  return { ...spec, jobId: given ?? makeJobId(), sources: sources ?? [one as JobSource] } as Job;
}

/** The file name of a source: the last segment of its key or URL path. */
export function fileNameOf(source: JobSource): string | undefined {
  const path = source.key ?? new URL(source.url ?? "http://x/").pathname;
  return path.split("/").filter(Boolean).pop();
}

/** The title a provider shows for a source: its own, the job's (for the first), or its file name. */
export function titleOf(job: Job, index = 0): string {
  const source = job.sources[index];
  return (
    source?.title ?? (index === 0 ? job.title : undefined) ?? (source && fileNameOf(source)) ?? job.jobId
  );
}

/** The one source of a single-source provider's job. */
export function onlySource(job: Job): JobSource {
  return job.sources[0] as JobSource;
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
