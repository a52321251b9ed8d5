import { randomUUID } from "node:crypto";
import { z } from "zod";
import { InvalidInputError, parseOrThrow } from "../providers/core/InvalidInputError";
import { MAX_SOURCES, PROVIDER_DESCRIPTORS, PROVIDERS, type Provider } from "../providers/registry";
import { refuseUnsafeUrl } from "./outbound/outboundUrlProblem";
import { STAGES } from "./stages";

// The provider lists live in the registry; re-exported here, where the job's schema is read.
export { MAX_SOURCES, PROVIDER_NAMES, PROVIDERS, type Provider } from "../providers/registry";

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

type Descriptor = (typeof PROVIDER_DESCRIPTORS)[number];

/** One provider's variant of a job: the shared fields, `provider`, and its own options (defaulted). */
type Variant<S extends z.ZodRawShape, D extends Descriptor> = z.ZodObject<
  S & { provider: z.ZodLiteral<D["id"]> } & { [K in D["id"]]: z.ZodDefault<D["options"]> },
  z.core.$strict
>;

/** A variant per descriptor of a tuple, as a tuple (a mapped type keeps tuples only over a type parameter). */
type Variants<S extends z.ZodRawShape, T extends readonly Descriptor[]> = {
  readonly [I in keyof T]: Variant<S, T[I]>;
};

/** One variant per provider of the registry: each provider's own options, under its own key. */
function variants<S extends z.ZodRawShape>(shape: S) {
  return PROVIDER_DESCRIPTORS.map(({ id, options }: { id: string; options: z.ZodObject }) =>
    z.strictObject({
      ...shape,
      provider: z.literal(id),
      // Defaults make the key optional: `{}` parsed gives every default.
      [id]: options.default(options.parse({})),
    }),
  ) as unknown as Variants<S, typeof PROVIDER_DESCRIPTORS>;
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
/** One provider's job, its options typed. */
export type JobOf<P extends Provider> = Extract<Job, { provider: P }>;
export type ApiVideoJob = JobOf<"apivideo">;
export type VideoDevJob = JobOf<"videodev">;

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
