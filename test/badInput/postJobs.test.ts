import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FieldProblem } from "../../functions/providers/core/InvalidInputError";
import { LocalHttpApi } from "../../local/LocalHttpApi";
import { LocalJobRuns } from "../../local/LocalJobRuns";
import { localJobRoutes } from "../../local/localJobRoutes";
import { fakeBucket } from "../unit/fakeBucket";
import { BAD_SPECS, expectNamed, GOOD_SPECS, VALID_SPEC } from "./badSpecs";

let api: LocalHttpApi;
let runs: LocalJobRuns;

beforeAll(async () => {
  // Prepare: the local API with its real job routes; executions never end, so none is ever run.
  runs = new LocalJobRuns({ run: () => new Promise(() => undefined) });
  const dependencies = { runs, s3: fakeBucket().s3, bucket: "vidstep-sources" };
  api = await LocalHttpApi.start(localJobRoutes(dependencies));
});
afterAll(() => api.stop());

/** POSTs raw bytes to /jobs, as a client with a bug (or an attacker) would send them. */
async function post(body: string | Uint8Array) {
  const response = await fetch(`${api.url}/jobs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as { message: string; problems?: FieldProblem[] },
  };
}

describe("POST /jobs answers 400 naming the field and the value", () => {
  it.each(BAD_SPECS.map((bad) => [bad.name, bad] as const))("%s", async (_name, bad) => {
    // Act
    const response = await post(bad.body(VALID_SPEC));

    // Assess
    expect(response.status).toBe(400);
    expectNamed(response.body.problems, bad, "body");
    expect(response.body.message).toContain(bad.field === "(whole)" ? "body" : bad.field);
  });

  it.each(GOOD_SPECS.map((good) => [good.name, good] as const))("accepts %s", async (_name, good) => {
    // Act
    const response = await post(good.body(VALID_SPEC));

    // Assess
    expect(response.status).toBe(202);
  });

  it("started no job for any bad request", () => {
    // Assess: only the good requests started one each.
    expect(runs.names()).toHaveLength(GOOD_SPECS.length);
  });
});
