import { readFileSync } from "node:fs";
import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { arnPlaceholder } from "../../functions/catalog";
import { IMPORT_FUNCTIONS } from "../../functions/imports/importFunctions";
import {
  BATCH_IMPORT_DEFINITION_PATH,
  BUCKET_NAME_PLACEHOLDER,
  loadBatchImportDefinition,
  PIPELINE_ARN_PLACEHOLDER,
} from "../../statemachines/batchImportDefinition";
import { definitionPlaceholders } from "../../statemachines/pipelineDefinition";

const raw = readFileSync(BATCH_IMPORT_DEFINITION_PATH, "utf8");
const substitutions = {
  ...Object.fromEntries(
    IMPORT_FUNCTIONS.map(({ id }) => [
      arnPlaceholder(id as never),
      `arn:aws:lambda:eu-west-1:123456789012:function:${id}`,
    ]),
  ),
  [PIPELINE_ARN_PLACEHOLDER]: "arn:aws:states:eu-west-1:123456789012:stateMachine:Pipeline",
  [BUCKET_NAME_PLACEHOLDER]: "vidstep-sources",
};

describe("statemachines/batchImport.asl.json", () => {
  it("is valid Amazon States Language once its placeholders are substituted", () => {
    // Act
    const result = aslValidator(loadBatchImportDefinition(substitutions));

    // Assess
    expect(result.errorsText()).toBe("");
    expect(result.isValid).toBe(true);
  });

  it("names exactly the import functions, the pipeline and the bucket", () => {
    expect(definitionPlaceholders(raw)).toEqual(Object.keys(substitutions).sort());
  });

  it("runs jobs on a Distributed Map reading jobs.jsonl, bounded, tolerant, writing results to S3", () => {
    // Prepare
    const definition = JSON.parse(raw);

    // Act
    const run = definition.States["Import each manifest"].ItemProcessor.States["Run jobs"];

    // Assess
    expect(run.ItemProcessor.ProcessorConfig).toEqual({ Mode: "DISTRIBUTED", ExecutionType: "STANDARD" });
    expect(run.ItemReader).toMatchObject({
      Resource: "arn:aws:states:::s3:getObject",
      ReaderConfig: { InputType: "JSONL" },
    });
    expect(run.MaxConcurrency).toBeGreaterThan(0);
    expect(run.MaxConcurrency).toBeLessThanOrEqual(100);
    expect(run.ToleratedFailurePercentage).toBe(100);
    expect(run.ResultWriter.Resource).toBe("arn:aws:states:::s3:putObject");
    expect(run.ItemProcessor.States["Run job"]).toMatchObject({
      Resource: "arn:aws:states:::states:startExecution.sync:2",
      Parameters: { "Name.$": "$.job.jobId", "Input.$": "$.job" },
      Catch: [{ ErrorEquals: ["States.ALL"], Next: "Job failed" }],
    });
  });
});
