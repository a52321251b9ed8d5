import {
  JOB_EVENT_SOURCE,
  JOB_EVENT_TYPES,
  type JobEvents,
  jobEventDetail,
} from "../functions/results/JobEvents";
import type { JobResult } from "../functions/results/jobResult";

/** An event as EventBridge would deliver it to a rule's target. */
export interface LocalJobEvent {
  source: string;
  "detail-type": string;
  detail: ReturnType<typeof jobEventDetail>;
}

/** The local stand-in for the event bus: keeps every event and tells listeners, in order. */
export class LocalJobEvents implements JobEvents {
  readonly published: LocalJobEvent[] = [];
  private readonly listeners: ((event: LocalJobEvent) => void)[] = [];

  constructor(private readonly bucket: string) {}

  async publish(result: JobResult): Promise<void> {
    const event = {
      source: JOB_EVENT_SOURCE,
      "detail-type": JOB_EVENT_TYPES[result.status],
      detail: jobEventDetail(result, this.bucket),
    };
    this.published.push(event);
    for (const listener of this.listeners) listener(event);
  }

  /** Calls `listener` for every event published from now on. */
  subscribe(listener: (event: LocalJobEvent) => void): void {
    this.listeners.push(listener);
  }
}
