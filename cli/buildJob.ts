import {
  type Job,
  type JobSource,
  MAX_SOURCES,
  type Provider,
  parseJobSpec,
} from "../functions/pipeline/jobSpec";

/** What the command line says about a job, beyond the provider and the uploaded files. */
export interface JobOptions {
  title?: string;
  aspectRatio?: string;
  clip?: string;
  category?: string;
  reelShape?: string;
  outputLength?: string;
}

/** A wrong option: the CLI prints it with a pointer to --help and exits 2. */
export class UsageError extends Error {}

/**
 * The job for one provider: the base spec (from --job), its sources replaced by the uploaded files unless
 * it names URLs, as many sources as the provider takes, and the command line's options on top.
 */
export function buildJob(
  provider: Provider,
  baseSpec: unknown,
  uploaded: JobSource[],
  options: JobOptions,
): Job {
  const spec: Record<string, unknown> = { ...(baseSpec as Record<string, unknown>) };
  const named = (spec.sources as JobSource[] | undefined) ?? (spec.source ? [spec.source as JobSource] : []);
  const sources = named.some((source) => source.url) ? named : uploaded;
  delete spec.source;
  spec.sources = sources.slice(0, MAX_SOURCES[provider]);
  spec.provider = provider;
  if (options.title) spec.title = options.title;
  const own = { ...(spec[provider] as Record<string, unknown> | undefined) };
  if (provider === "videodev") {
    if (options.aspectRatio)
      own.crop = { ...(own.crop as object | undefined), aspectRatio: options.aspectRatio };
    if (options.clip) own.clip = parseClip(options.clip);
  }
  if (provider === "vidio") {
    if (options.category) own.videoCategory = options.category;
    if (options.reelShape) own.aspectRatio = options.reelShape;
    if (options.outputLength) own.outputLengthSeconds = Number(options.outputLength);
  }
  for (const key of Object.keys(spec)) if (isProviderKey(key) && key !== provider) delete spec[key];
  spec[provider] = own;
  return parseJobSpec(spec);
}

function isProviderKey(key: string): boolean {
  return key in MAX_SOURCES;
}

function parseClip(text: string): { startMs: number; endMs: number } {
  const match = /^(\d+)-(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--clip must look like 500-3000 (milliseconds), got "${text}"`);
  return { startMs: Number(match[1]), endMs: Number(match[2]) };
}
