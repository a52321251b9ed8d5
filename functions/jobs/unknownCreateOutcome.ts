import { type Job, PROVIDER_NAMES, type ResumePoint, titleOf } from "../pipeline/jobSpec";
import { STARTED_BY } from "../pipeline/stages";
import { descriptorOf } from "../providers/registry";
import { PossibleDuplicateError, type ResourceToCheck } from "./PossibleDuplicateError";

/** The error name of a create that was sent and whose answer was lost: it may or may not have happened. */
export const UNKNOWN_OUTCOME_ERROR = "ProviderOutcomeUnknownError";

/** A caller's choices for a redrive. */
export interface RedriveChoices {
  /** Send a create whose outcome is unknown again, knowing it may make a second resource. */
  acceptPossibleDuplicate?: boolean;
}

/**
 * Where the redrive of a job whose failed stage lost a create's answer resumes. Where the provider offers a
 * lookup, the resumed stage looks the resource up and continues with it (and with the caller's acceptance,
 * a wait that found nothing goes back to the stage that creates, which still looks up first). Elsewhere the
 * redrive is refused with the resource to check, unless the caller accepts a possible duplicate.
 */
export function resumeAfterUnknownOutcome(
  job: Job,
  failure: Record<string, unknown>,
  resume: ResumePoint,
  choices: RedriveChoices,
): ResumePoint {
  if (failure.error !== UNKNOWN_OUTCOME_ERROR) return resume;
  const accepted = choices.acceptPossibleDuplicate === true;
  // Where the provider's steps look up what an earlier attempt created (its descriptor's `createLookup`).
  if ("createLookup" in descriptorOf(job.provider)) return accepted ? restartOf(resume) : resume;
  if (accepted) return resume;
  const resource = resourceToCheck(job, failure, resume);
  const name = PROVIDER_NAMES[job.provider];
  throw new PossibleDuplicateError(
    `job ${job.jobId}: the answer to ${job.provider} ${resource.operation} was lost, so ${name} may have ` +
      `acted on it, and ${name} offers no way to look it up: a redrive would send it again and could make a ` +
      `second one. Check ${name} for it (see resource), then redrive with {"acceptPossibleDuplicate": true} ` +
      "to send it again anyway.",
    job.jobId,
    resource,
  );
}

/** A wait stage's redrive goes back to the stage that started what it waited for, without that progress. */
function restartOf(resume: ResumePoint): ResumePoint {
  const starter = STARTED_BY[resume.stage];
  if (!starter) return resume;
  const { [starter]: _started, [resume.stage]: _waited, ...before } = resume.progress;
  return { stage: starter, progress: before };
}

/** At most this many sources are named: a reel of 400 inputs is identified by its first few. */
const NAMED_SOURCES = 10;

/** What a person looks for at the provider: who made it, from what, and the ids it was made from. */
export function resourceToCheck(
  job: Job,
  failure: Record<string, unknown>,
  resume: ResumePoint,
): ResourceToCheck {
  const first = firstSourceInFlight(resume);
  const sources = job.sources.slice(first).map(describeSource);
  const named = sources.slice(0, NAMED_SOURCES);
  if (sources.length > named.length) named.push(`... and ${sources.length - named.length} more`);
  const madeFrom = idsIn(resume.progress);
  return {
    provider: job.provider,
    operation: typeof failure.operation === "string" ? failure.operation : resume.stage,
    stage: resume.stage,
    jobId: job.jobId,
    title: titleOf(job, first),
    sources: named,
    ...(Object.keys(madeFrom).length > 0 ? { madeFrom } : {}),
    ...(typeof failure.requestId === "string" ? { requestId: failure.requestId } : {}),
  };
}

/** A create sent in batches counts the sources it has `sent`: those were not in the lost request. */
function firstSourceInFlight(resume: ResumePoint): number {
  const create = resume.progress.create as { value?: { sent?: unknown } } | undefined;
  const sent = create?.value?.sent;
  return typeof sent === "number" ? sent : 0;
}

/** A source as a person finds it again: no credentials, no presigned query. */
function describeSource(source: Job["sources"][number]): string {
  if (source.url === undefined) return `s3://${source.bucket}/${source.key}`;
  const url = new URL(source.url);
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/** The ids earlier stages produced (`mediaId`, `inputKeys`...), by name. */
function idsIn(progress: Record<string, unknown>): Record<string, string | string[]> {
  const ids: Record<string, string | string[]> = {};
  for (const stage of Object.values(progress)) {
    const value = (stage as { value?: unknown } | undefined)?.value;
    if (value === null || typeof value !== "object") continue;
    for (const [key, id] of Object.entries(value)) {
      if (!/(Id|Ids|Key|Keys)$/.test(key)) continue;
      if (typeof id === "string") ids[key] = id;
      else if (Array.isArray(id) && id.every((each) => typeof each === "string")) {
        ids[key] = id.slice(0, NAMED_SOURCES);
      }
    }
  }
  return ids;
}
