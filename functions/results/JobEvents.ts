import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { RECORD_CAPS, redactRecord } from "../providers/core/redactRecord";
import { type JobResult, resultKey } from "./jobResult";

/** The `source` of every event vidstep publishes; rules match on it. */
export const JOB_EVENT_SOURCE = "vidstep";

/** The detail-type of a finished job's event, by how it ended. */
export const JOB_EVENT_TYPES = { succeeded: "Job succeeded", failed: "Job failed" } as const;

/** Where finished jobs are announced: EventBridge on AWS, an in-memory list locally. */
export interface JobEvents {
  publish(result: JobResult): Promise<void>;
}

/** An event bus refused the event; retryable, since PutEvents fails entries for throttling too. */
export class JobEventNotPublishedError extends Error {
  override readonly name = "JobEventNotPublishedError";
}

/**
 * The event for a finished job: who, how it ended and, for a failure, the provider, step and reason. The
 * full result stays in S3 (events are capped at 256 KB), so the detail points at it. Every bus, local or
 * EventBridge, gets its detail from here, redacted and capped.
 */
export function jobEventDetail(result: JobResult, bucket: string) {
  const failure = result.failure ?? {};
  const detail = {
    jobId: result.jobId,
    provider: result.provider,
    status: result.status,
    finishedAt: result.finishedAt,
    ...(result.executionId ? { executionId: result.executionId } : {}),
    result: { bucket, key: resultKey(result.jobId) },
    ...(result.status === "failed"
      ? { step: failure.step, error: failure.error, reason: failure.message }
      : {}),
  };
  return redactRecord(detail, RECORD_CAPS);
}

/** Publishes finished jobs to an EventBridge bus. */
export class EventBridgeJobEvents implements JobEvents {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly bucket: string,
  ) {}

  async publish(result: JobResult): Promise<void> {
    const answer = await this.client.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: JOB_EVENT_SOURCE,
            DetailType: JOB_EVENT_TYPES[result.status],
            Detail: JSON.stringify(jobEventDetail(result, this.bucket)),
            Resources: result.executionId?.startsWith("arn:") ? [result.executionId] : [],
          },
        ],
      }),
    );
    // PutEvents answers 200 even when an entry was refused; the refusal is only in the entries.
    if ((answer.FailedEntryCount ?? 0) > 0) {
      const entry = answer.Entries?.[0];
      throw new JobEventNotPublishedError(
        `event for job ${result.jobId} refused: ${entry?.ErrorCode ?? "unknown"} ${entry?.ErrorMessage ?? ""}`.trim(),
      );
    }
  }
}
