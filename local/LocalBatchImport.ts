/**
 * Runs `statemachines/batchImport.asl.json` in-process with aws-local-stepfunctions, which has no Distributed
 * Map (its Map runs inline only, and knows neither ItemReader nor ResultWriter). The same file is loaded and,
 * in memory only, each Map state whose ItemProcessor runs DISTRIBUTED becomes a Task state with the same
 * name, ResultPath, Catch and Next, whose resolved Parameters are the ItemReader's and ResultWriter's own
 * (`Bucket.$`, `Key.$`, `Prefix.$` resolve against the same state input as on AWS). Its local handler does
 * what the Map Run does:
 *   1. reads the ItemReader object (JSON Lines) from the local S3;
 *   2. runs the ItemProcessor once per item as a child execution, MaxConcurrency at a time; a child that
 *      fails is recorded as FAILED, and more failures than ToleratedFailurePercentage fail the state with
 *      States.ExceedToleratedFailureThreshold;
 *   3. writes the ResultWriter layout (`<Prefix>/<run id>/manifest.json` and SUCCEEDED_0/FAILED_0 files in
 *      the WriterConfig's JSONL + COMPACT form) and returns `{MapRunArn, ResultWriterDetails}`.
 * So Write report reads the same files it reads on AWS. The child's `startExecution.sync:2` Task runs the job
 * through LocalPipeline and answers as that integration does: on success the child execution described,
 * with Output parsed; on failure the Task fails with `States.TaskFailed` and, as Cause, the child execution
 * described as JSON with its Error and Cause (the pipeline's failure record). A name already started fails
 * with `StepFunctions.ExecutionAlreadyExistsException`, as Step Functions refuses a name twice. Lambda Tasks
 * are routed to in-process handlers by FunctionName, as LocalPipeline does.
 */
import "./polyfills";
import { randomUUID } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { ExecutionError, StateMachine, type StateMachineDefinition } from "aws-local-stepfunctions";
import { arnPlaceholder } from "../functions/catalog";
import { createStepHandler } from "../functions/handlers/core/createStepHandler";
import { claimManifestsStep } from "../functions/handlers/imports/claimManifests";
import { planManifestStep } from "../functions/handlers/imports/planManifest";
import { writeReportStep } from "../functions/handlers/imports/writeReport";
import { IMPORT_FUNCTIONS, type ImportFunctionId } from "../functions/imports/importFunctions";
import { numberedLines } from "../functions/imports/numberedLines";
import { S3JsonLinesWriter } from "../functions/imports/S3JsonLinesWriter";
import { objectChunks, writeJsonObject } from "../functions/imports/s3Objects";
import type { Job } from "../functions/pipeline/jobSpec";
import {
  BUCKET_NAME_PLACEHOLDER,
  loadBatchImportDefinition,
  PIPELINE_ARN_PLACEHOLDER,
} from "../statemachines/batchImportDefinition";
import { invokeLocalLambda, type LambdaHandler } from "./invokeLocalLambda";
import type { LocalPipeline, LocalRunOptions } from "./LocalPipeline";

const LOCAL_ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:vidstep-";
const LOCAL_PIPELINE_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:vidstep-pipeline";
/** Names the Task that stands in for a Distributed Map; only the local handler ever runs it. */
const LOCAL_MAP_RUN_RESOURCE = "arn:aws:states:::vidstep-local:distributedMapRun";

type States = Record<string, Record<string, unknown>>;

export interface LocalBatchImportOptions {
  s3: S3Client;
  bucket: string;
  pipeline: LocalPipeline;
  /** How the pipeline runs each job (shortened waits in tests). */
  pipelineOptions?: LocalRunOptions;
}

/** What a local batch import run returned: the claimed manifests and each one's summary (or failure). */
export interface BatchImportOutput {
  manifests: unknown[];
  imported: Record<string, unknown>[];
}

/** The batch import state machine on one machine, Distributed Map included (see the top of this file). */
export class LocalBatchImport {
  private readonly definition: StateMachineDefinition;
  private readonly lambdas: Map<string, { handler: LambdaHandler; timeoutSeconds: number }>;
  private readonly distributed = new Map<string, Record<string, unknown>>();
  /** Every Task state's name and Resource, at any depth (names are unique across the definition). */
  private readonly tasks = new Map<string, string>();
  /** Execution names the local pipeline has started: Step Functions never starts one twice. */
  private readonly started = new Set<string>();

  constructor(private readonly options: LocalBatchImportOptions) {
    const handlers: Record<ImportFunctionId, LambdaHandler> = {
      ClaimManifests: createStepHandler(claimManifestsStep, async () => ({ s3: options.s3 })),
      PlanManifest: createStepHandler(planManifestStep, async () => ({ s3: options.s3 })),
      WriteReport: createStepHandler(writeReportStep, async () => ({ s3: options.s3 })),
    };
    const substitutions: Record<string, string> = {
      [PIPELINE_ARN_PLACEHOLDER]: LOCAL_PIPELINE_ARN,
      [BUCKET_NAME_PLACEHOLDER]: options.bucket,
    };
    this.lambdas = new Map();
    for (const { id, timeoutSeconds } of IMPORT_FUNCTIONS) {
      const arn = `${LOCAL_ARN_PREFIX}${id}`;
      substitutions[arnPlaceholder(id as never)] = arn;
      this.lambdas.set(arn, { handler: handlers[id], timeoutSeconds });
    }
    const definition = loadBatchImportDefinition(substitutions) as {
      States: States;
      TimeoutSeconds?: number;
    };
    // Days, as deployed: more than Node's timers hold (2^31 ms), and a local run ends in seconds anyway.
    delete definition.TimeoutSeconds;
    this.rewrite(definition.States);
    this.definition = definition as unknown as StateMachineDefinition;
  }

  /** Runs the batch import once, as one scheduled run would, and returns its output. */
  async run(): Promise<BatchImportOutput> {
    return (await this.execute(this.definition, {})) as unknown as BatchImportOutput;
  }

  /** Replaces each Distributed Map by its stand-in Task and notes every Task's name, at any depth. */
  private rewrite(states: States): void {
    for (const [name, state] of Object.entries(states)) {
      const processor = state.ItemProcessor as
        | { ProcessorConfig?: { Mode?: string }; States: States }
        | undefined;
      if (state.Type === "Map" && processor?.ProcessorConfig?.Mode === "DISTRIBUTED") {
        this.distributed.set(name, state);
        const reader = state.ItemReader as { Parameters: unknown };
        const writer = state.ResultWriter as { Parameters: unknown };
        const {
          ItemReader,
          ItemProcessor,
          ResultWriter,
          Label,
          MaxConcurrency,
          ToleratedFailurePercentage,
          ...kept
        } = state;
        if (state.ItemSelector !== undefined) throw new Error(`${name}: ItemSelector is not run locally`);
        states[name] = {
          ...kept,
          Type: "Task",
          Resource: LOCAL_MAP_RUN_RESOURCE,
          Parameters: { reader: reader.Parameters, writer: writer.Parameters },
          // The local executor gives a Task 60 s unless told; a Map Run has no such limit.
          TimeoutSeconds: 86_400,
        };
        this.tasks.set(name, LOCAL_MAP_RUN_RESOURCE);
        this.rewrite(processor.States);
      } else if (state.Type === "Map" && processor !== undefined) {
        this.rewrite(processor.States);
      } else if (state.Type === "Task") {
        this.tasks.set(name, String(state.Resource));
        if (state.TimeoutSeconds === undefined) state.TimeoutSeconds = 86_400;
      }
    }
  }

  private async execute(
    definition: unknown,
    input: unknown,
    name = `local-${randomUUID()}`,
  ): Promise<unknown> {
    const machine = new StateMachine(definition as StateMachineDefinition, {
      validationOptions: { checkArn: false, noValidate: true },
    });
    const execution = machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: Object.fromEntries(
          [...this.tasks.keys()].map((task) => [
            task,
            (taskInput: unknown) => this.task(task, taskInput) as never,
          ]),
        ),
      },
      context: { Execution: { Id: `local:${name}`, Name: name, Input: input as never } },
    });
    return execution.result;
  }

  private async task(name: string, input: unknown): Promise<unknown> {
    const map = this.distributed.get(name);
    if (map) return this.runMap(name, map, input as { reader: S3Location; writer: S3Location });
    if (this.tasks.get(name) === "arn:aws:states:::states:startExecution.sync:2")
      return this.startPipeline(input);
    const { FunctionName, Payload } = input as { FunctionName?: string; Payload?: unknown };
    const target = FunctionName ? this.lambdas.get(FunctionName) : undefined;
    if (!target)
      throw Object.assign(new Error(`no function ${FunctionName}`), {
        name: "Lambda.ResourceNotFoundException",
      });
    return invokeLocalLambda(FunctionName as string, target.handler, Payload, target.timeoutSeconds);
  }

  /** What a Map Run does: read the items, run each as a child execution, write the results' layout. */
  private async runMap(
    name: string,
    map: Record<string, unknown>,
    input: { reader: S3Location; writer: S3Location },
  ) {
    const { s3 } = this.options;
    const items: unknown[] = [];
    for await (const { text } of numberedLines(
      objectChunks(s3, input.reader.Bucket, input.reader.Key as string),
    )) {
      if (text.trim() !== "") items.push(JSON.parse(text));
    }
    const { ProcessorConfig: _config, ...processor } = map.ItemProcessor as Record<string, unknown>;
    const succeeded: unknown[] = [];
    const failed: unknown[] = [];
    await eachLimited(items, Number(map.MaxConcurrency ?? 0) || 40, async (item) => {
      try {
        succeeded.push(await this.execute(processor, item));
      } catch (error) {
        const cause = error instanceof ExecutionError ? (error.cause as Error) : (error as Error);
        failed.push({
          Input: JSON.stringify(item),
          Status: "FAILED",
          Error: cause.name,
          Cause: cause.message,
        });
      }
    });
    const tolerated = Number(map.ToleratedFailurePercentage ?? 0);
    if (items.length > 0 && (failed.length * 100) / items.length > tolerated) {
      throw Object.assign(new Error(`${failed.length} of ${items.length} items failed`), {
        name: "States.ExceedToleratedFailureThreshold",
      });
    }
    const runId = randomUUID();
    const prefix = `${input.writer.Prefix}/${runId}`;
    const files: Record<string, { Key: string; Size: number }[]> = { FAILED: [], PENDING: [], SUCCEEDED: [] };
    for (const [status, records] of [
      ["SUCCEEDED", succeeded],
      ["FAILED", failed],
    ] as const) {
      if (records.length === 0) continue;
      const key = `${prefix}/${status}_0.json`;
      const writer = new S3JsonLinesWriter(s3, input.writer.Bucket, key);
      for (const record of records) await writer.write(record);
      await writer.close();
      files[status]?.push({ Key: key, Size: 0 });
    }
    const manifestKey = `${prefix}/manifest.json`;
    const mapRunArn = `arn:aws:states:us-east-1:000000000000:mapRun:vidstep-batch-import/${name}:${runId}`;
    await writeJsonObject(s3, input.writer.Bucket, manifestKey, {
      DestinationBucket: input.writer.Bucket,
      MapRunArn: mapRunArn,
      ResultFiles: files,
    });
    return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: input.writer.Bucket, Key: manifestKey } };
  }

  /** `startExecution.sync:2` against the local pipeline (see the top of this file for what it answers). */
  private async startPipeline(input: unknown): Promise<unknown> {
    const { StateMachineArn, Name, Input } = input as { StateMachineArn: string; Name: string; Input: Job };
    const executionArn = `${StateMachineArn.replace(":stateMachine:", ":execution:")}:${Name}`;
    if (this.started.has(Name)) {
      throw Object.assign(new Error(`Execution Already Exists: '${executionArn}'`), {
        name: "StepFunctions.ExecutionAlreadyExistsException",
      });
    }
    this.started.add(Name);
    const startDate = Date.now();
    const outcome = await this.options.pipeline.run(Input, this.options.pipelineOptions);
    const described = {
      ExecutionArn: executionArn,
      StateMachineArn,
      Name,
      Input: JSON.stringify(Input),
      StartDate: startDate,
      StopDate: Date.now(),
    };
    if (outcome.status === "succeeded") return { ...described, Status: "SUCCEEDED", Output: outcome.result };
    throw Object.assign(
      new Error(
        JSON.stringify({
          ...described,
          Status: "FAILED",
          Error: outcome.error,
          Cause: JSON.stringify(outcome.record),
        }),
      ),
      { name: "States.TaskFailed" },
    );
  }
}

interface S3Location {
  Bucket: string;
  Key?: string;
  Prefix?: string;
}

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
