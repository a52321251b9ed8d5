import { describe, expect, it } from "vitest";
import { IMPORT_ROUTE } from "../../functions/providers/vidori/VidoriSimulator";
import { useLocalStack } from "./localStackFixture";

const { context, s3 } = useLocalStack();

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${context.stack.api.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The assets Vidori's simulator holds under a title: counted from its own state, not from requests. */
const assetsTitled = (title: string) =>
  context.stack.simulators.vidori?.assets().filter((asset) => asset.title === title) ?? [];

describe("a create whose answer was dropped, then a redrive", () => {
  it("refuses to send a Vidori import again (409 naming it) until the caller accepts a duplicate", async () => {
    // Prepare: Vidori imports the asset, and the answer is lost on the way back.
    const title = "Lost answer, episode 1";
    context.stack.simulators.vidori?.server.faults.dropAnswer({ times: 1, route: IMPORT_ROUTE });
    const posted = await call("POST", "/jobs", {
      provider: "vidori",
      source: { ...s3("sample-4s-landscape.mp4"), title },
    });
    const jobId = posted.body.jobId as string;
    await context.stack.idle();

    // Act
    const failed = await call("GET", `/jobs/${jobId}`);
    const refused = await call("POST", `/jobs/${jobId}/redrive`);
    await context.stack.idle();
    const afterRefusal = assetsTitled(title).length;
    const accepted = await call("POST", `/jobs/${jobId}/redrive`, { acceptPossibleDuplicate: true });
    await context.stack.idle();
    const redriven = await call("GET", `/jobs/${jobId}`);

    // Assess: one asset after the lost answer and the refused redrive; a second only once accepted.
    expect(failed.body).toMatchObject({
      status: "failed",
      failure: { provider: "vidori", step: "create", error: "ProviderOutcomeUnknownError" },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.resource).toMatchObject({
      provider: "vidori",
      stage: "create",
      jobId,
      title,
      sources: [`s3://${context.stack.bucket}/inbox/sample-4s-landscape.mp4`],
    });
    expect(afterRefusal).toBe(1);
    expect(accepted.status).toBe(202);
    expect(redriven.body).toMatchObject({ status: "succeeded", attempt: 2 });
    expect(assetsTitled(title)).toHaveLength(2);
  });

  it("continues a Viostream job whose lookups failed after a dropped create: the redrive finds its one media", async () => {
    // Prepare: the create step's own lookup finds nothing, the create's answer is lost, then every lookup
    // of the wait fails until the job gives up.
    const viostream = context.stack.simulators.viostream;
    viostream?.server.faults
      .dropAnswer({ times: 1, route: "POST /media/new" })
      .unavailable({ times: 1_000, after: 1, route: "GET /media" });
    const posted = await call("POST", "/jobs", {
      provider: "viostream",
      source: s3("sample-4s-landscape.mp4"),
    });
    const jobId = posted.body.jobId as string;
    await context.stack.idle();
    const failed = await call("GET", `/jobs/${jobId}`);
    viostream?.server.faults.clear();

    // Act
    const redrive = await call("POST", `/jobs/${jobId}/redrive`);
    await context.stack.idle();
    const redriven = await call("GET", `/jobs/${jobId}`);

    // Assess
    expect(failed.body).toMatchObject({
      status: "failed",
      failure: { provider: "viostream", step: "awaitCreate", error: "ProviderUnavailableError" },
    });
    expect(redrive.status).toBe(202);
    expect(redriven.body).toMatchObject({ status: "succeeded", attempt: 2 });
    const referenceId = (redriven.body.result as { referenceId?: string } | undefined)?.referenceId;
    expect(viostream?.media().filter((media) => media.referenceId === referenceId)).toHaveLength(1);
  });
});
