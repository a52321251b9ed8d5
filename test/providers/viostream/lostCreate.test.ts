import { describe, expect, it } from "vitest";
import type { JobOf } from "../../../functions/pipeline/jobSpec";
import { ProviderOutcomeUnknownError } from "../../../functions/providers/core/errors";
import { ingest, referenceIdFor } from "../../../functions/providers/viostream/ingest";
import { ingestStatus, LOST_CREATE_LOOKUPS } from "../../../functions/providers/viostream/ingestStatus";
import type { ViostreamClient, ViostreamMedia } from "../../../functions/providers/viostream/ViostreamClient";

const job = {
  jobId: "vio-lost-7",
  provider: "viostream",
  sources: [{ url: "https://media.example.com/match.mp4" }],
  viostream: {},
} as unknown as JobOf<"viostream">;
const referenceId = referenceIdFor(job.jobId);
const media = { key: "k1", referenceId, status: "Processing" } as ViostreamMedia;

/** A Viostream whose create loses its answer and whose list shows the media from the `listedFrom`th lookup on. */
function viostreamLosingCreates(listedFrom: number) {
  const calls = { creates: 0, lookups: 0 };
  const client = {
    findMediaByReferenceId: async () => {
      calls.lookups += 1;
      return calls.creates > 0 && calls.lookups >= listedFrom ? media : undefined;
    },
    createIngest: async () => {
      calls.creates += 1;
      throw new ProviderOutcomeUnknownError("viostream createIngest: connection failed (ECONNRESET)", {
        provider: "viostream",
        operation: "createIngest",
      });
    },
  } as unknown as ViostreamClient;
  return { client, calls };
}

describe("a Viostream create whose answer was lost", () => {
  it("is not sent again: the wait looks its media up until it is listed, then follows its status", async () => {
    // Prepare: the media shows up on the third lookup (the create's own lookup first, then two polls).
    const { client, calls } = viostreamLosingCreates(3);

    // Act
    const created = await ingest(client, undefined as never, job);
    const resend = () => ingest(client, undefined as never, job);
    const first = await ingestStatus(client, created, 1, resend);
    const second = await ingestStatus(client, created, 2, resend);

    // Assess
    expect(created).toEqual({ done: true, referenceId, createAnswerLost: true });
    expect(first).toMatchObject({ ready: false, status: "Processing", nextPollSeconds: 10 });
    expect(second).toMatchObject({ ready: false, status: "Processing", nextPollSeconds: 20 });
    expect(calls).toEqual({ creates: 1, lookups: 3 });
  });

  it("is sent once more when no media is listed after the bounded lookups, then looked for again", async () => {
    // Prepare: nothing reached Viostream the first time; the re-sent create's media is listed at once.
    const { client, calls } = viostreamNeverActingFirst();
    const created = await ingest(client, undefined as never, job);
    const resend = () => ingest(client, undefined as never, job);

    // Act
    const beforeWindow = await ingestStatus(client, created, LOST_CREATE_LOOKUPS - 1, resend);
    const atWindow = await ingestStatus(client, created, LOST_CREATE_LOOKUPS, resend);
    const after = await ingestStatus(client, created, LOST_CREATE_LOOKUPS + 1, resend);

    // Assess
    expect(beforeWindow).toMatchObject({ ready: false, status: "Processing" });
    expect(atWindow).toMatchObject({ ready: false, status: "Processing" });
    expect(after).toMatchObject({ ready: true, status: "Online" });
    expect(calls.creates).toBe(2);
  });

  it("ends in an unknown outcome naming the reference id when the re-sent create is not listed either", async () => {
    // Prepare
    const { client, calls } = viostreamLosingCreates(Number.POSITIVE_INFINITY);
    const created = await ingest(client, undefined as never, job);
    const resend = () => ingest(client, undefined as never, job);

    // Act
    const early = await ingestStatus(client, created, 2 * LOST_CREATE_LOOKUPS - 1, resend);
    const last = await ingestStatus(client, created, 2 * LOST_CREATE_LOOKUPS, resend).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(early.ready).toBe(false);
    expect(calls.creates).toBe(1);
    expect(last).toBeInstanceOf(ProviderOutcomeUnknownError);
    expect((last as Error).message).toContain(`referenceId ${referenceId}`);
    expect(last).toMatchObject({ provider: "viostream", operation: "createIngest" });
  });
});

/** A Viostream that dropped the first create before acting on it and lists the second one's media. */
function viostreamNeverActingFirst() {
  const calls = { creates: 0 };
  const client = {
    findMediaByReferenceId: async () => (calls.creates > 1 ? { ...media, status: "Online" } : undefined),
    createIngest: async () => {
      calls.creates += 1;
      if (calls.creates === 1) {
        throw new ProviderOutcomeUnknownError("viostream createIngest: connection failed (ECONNRESET)", {
          provider: "viostream",
          operation: "createIngest",
        });
      }
      return { ingestId: "ingest-2" };
    },
  } as unknown as ViostreamClient;
  return { client, calls };
}
