import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { validateJobFile } from "../../cli/readJobSpecFile";
import { InvalidInputError } from "../../functions/providers/core/InvalidInputError";
import { BAD_SPECS, expectNamed, GOOD_SPECS, VALID_SPEC } from "./badSpecs";

const directory = mkdtempSync(join(tmpdir(), "vidstep-validate-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Writes a job spec file as a user would hand it to `vidstep validate`. */
function specFile(name: string, body: string | Uint8Array): string {
  const path = join(directory, `${name.replace(/[^A-Za-z0-9]+/g, "-")}.json`);
  writeFileSync(path, body);
  return path;
}

// `vidstep validate <file>` prints what validateJobFile returns and exits 2 on its InvalidInputError.
describe("vidstep validate refuses bad job specs, naming the field and the value", () => {
  it.each(BAD_SPECS.map((bad) => [bad.name, bad] as const))("%s", async (name, bad) => {
    // Prepare
    const path = specFile(name, bad.body(VALID_SPEC));

    // Act
    const error = await validateJobFile(path).catch((caught: unknown) => caught);

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    const { problems, message } = error as InvalidInputError;
    expectNamed(problems, bad, "(root)");
    expect(message).toContain(bad.field === "(whole)" ? "(root)" : bad.field);
  });

  it.each(GOOD_SPECS.map((good) => [good.name, good] as const))("accepts %s", async (name, good) => {
    // Act
    const job = await validateJobFile(specFile(name, good.body(VALID_SPEC)));

    // Assess
    expect(job).toMatchObject({ provider: "vidio", sources: [{ url: expect.any(String) }] });
  });
});
