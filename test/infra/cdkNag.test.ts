import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, type Stack, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { VideoPipelineStack } from "../../infra/VideoPipelineStack";
import { existingBucketApp } from "./apps/existingBucketApp";

interface ValidationReport {
  pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
}

/** Synthesises with the AwsSolutions pack and lists every finding that no acknowledgement covers. */
function unacknowledgedFindings(build: (app: App) => Stack): string[] {
  const outdir = mkdtempSync(join(tmpdir(), "vidstep-nag-"));
  const app = new App({ outdir, context: { "aws:cdk:bundling-stacks": [] } });
  build(app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    app.synth();
  } catch {
    // A failed validation throws after writing its report, which is what we read.
  }
  const report = JSON.parse(readFileSync(join(outdir, "validation-report.json"), "utf8")) as ValidationReport;
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((violation) =>
      violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`),
    ),
  );
}

describe("cdk-nag AwsSolutions", () => {
  it("finds nothing unacknowledged in vidstep's own stack", () => {
    // Act
    const findings = unacknowledgedFindings((app) => new VideoPipelineStack(app, "Vidstep"));

    // Assess
    expect(findings).toEqual([]);
  });

  it("finds nothing unacknowledged in an app that brings its own bucket and secret", () => {
    // Act
    const findings = unacknowledgedFindings((app) => {
      const { stack } = existingBucketApp({}, app);
      return stack;
    });

    // Assess
    expect(findings).toEqual([]);
  });
});
