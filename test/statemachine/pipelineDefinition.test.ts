import { readFileSync } from "node:fs";
import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { arnPlaceholder, PIPELINE_FUNCTIONS } from "../../functions/catalog";
import { STAGES } from "../../functions/pipeline/stages";
import { RETRYABLE_ERROR_NAMES } from "../../functions/providers/core/errors";
import {
  definitionPlaceholders,
  loadPipelineDefinition,
  PIPELINE_DEFINITION_PATH,
  WEBHOOKS_ENABLED_PLACEHOLDER,
} from "../../statemachines/pipelineDefinition";

interface State {
  Type: string;
  Resource?: string;
  HeartbeatSeconds?: number;
  TimeoutSeconds?: number;
  Next?: string;
  Default?: string;
  End?: boolean;
  OutputPath?: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number; JitterStrategy?: string; BackoffRate?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Choices?: { Next: string; Variable?: string; NumericGreaterThanEquals?: number }[];
  Parameters?: { Payload?: { stage?: string } };
}

const raw = readFileSync(PIPELINE_DEFINITION_PATH, "utf8");
const definition = JSON.parse(raw) as {
  States: Record<string, State>;
  TimeoutSeconds?: number;
  StartAt: string;
};
const states = Object.entries(definition.States);
const tasks = states.filter(([, state]) => state.Type === "Task");

/** Tasks that call a provider carry their stage; the bookkeeping tasks (records, results) do not. */
function isProviderTask(state: State): boolean {
  return state.Parameters?.Payload?.stage !== undefined;
}

describe("statemachines/pipeline.asl.json", () => {
  it("is valid Amazon States Language once its ARNs are substituted", () => {
    // Prepare
    const substitutions = {
      ...Object.fromEntries(
        PIPELINE_FUNCTIONS.map(({ id }) => [
          arnPlaceholder(id),
          `arn:aws:lambda:eu-west-1:123456789012:function:${id}`,
        ]),
      ),
      [WEBHOOKS_ENABLED_PLACEHOLDER]: "true",
    };

    // Act
    const result = aslValidator(loadPipelineDefinition(substitutions));

    // Assess
    expect(result.errorsText()).toBe("");
    expect(result.isValid).toBe(true);
  });

  it("names exactly the functions of the catalog, and the webhook switch", () => {
    // Prepare
    const expected = [
      ...PIPELINE_FUNCTIONS.map(({ id }) => arnPlaceholder(id)),
      WEBHOOKS_ENABLED_PLACEHOLDER,
    ].sort();

    // Act
    const placeholders = definitionPlaceholders(raw);

    // Assess
    expect(placeholders).toEqual(expected);
  });

  it("bounds the execution with a timeout", () => {
    expect(definition.TimeoutSeconds).toBeGreaterThan(0);
    expect(definition.TimeoutSeconds).toBeLessThanOrEqual(24 * 3600);
  });

  it("retries transient provider errors with full jitter and a bounded number of attempts", () => {
    for (const [name, state] of tasks) {
      const retriers = state.Retry ?? [];
      const retried = retriers.flatMap((retrier) => retrier.ErrorEquals);
      if (isProviderTask(state))
        expect(retried, name).toEqual(expect.arrayContaining([...RETRYABLE_ERROR_NAMES]));
      for (const retrier of retriers) {
        expect(retrier.JitterStrategy, name).toBe("FULL");
        expect(retrier.MaxAttempts, name).toBeGreaterThan(0);
        expect(retrier.MaxAttempts, name).toBeLessThanOrEqual(5);
      }
    }
  });

  it("sends 429s to the Retry-After path and every other error to a failure record", () => {
    for (const [name, state] of tasks.filter(([, state]) => isProviderTask(state))) {
      const catchers = state.Catch ?? [];
      expect(catchers[0], name).toEqual(
        expect.objectContaining({ ErrorEquals: ["RateLimitedError"], Next: "Read Retry-After" }),
      );
      expect(catchers.at(-1), name).toEqual(
        expect.objectContaining({ ErrorEquals: ["States.ALL"], Next: "Record failure" }),
      );
    }
  });

  it("tells every Lambda its execution, so each log line can carry the execution id", () => {
    for (const [name, state] of tasks) {
      expect(
        (state.Parameters?.Payload as Record<string, unknown> | undefined)?.["executionId.$"],
        name,
      ).toBe("$$.Execution.Id");
    }
  });

  it("records every finished job's result, succeeded or failed", () => {
    // Prepare
    const states = definition.States;

    // Act
    const afterPublish = states.Publish?.Next;
    const afterFailure = states["Record failure"]?.Next;
    const recordFailed = states["Record failed result"];

    // Assess
    expect(afterPublish).toBe("Record result");
    expect(states["Record result"]).toMatchObject({ End: true, OutputPath: "$.progress.publish.value" });
    expect(afterFailure).toBe("Record failed result");
    expect(recordFailed).toMatchObject({ Next: "Failed" });
    expect(recordFailed?.Catch?.[0]).toMatchObject({ ErrorEquals: ["States.ALL"], Next: "Failed" });
  });

  it("lets a redrive re-enter every stage", () => {
    // Prepare
    const resumeAt = definition.States["Resume at stage"];

    // Act
    const stages = (resumeAt?.Choices ?? []).map(
      (choice) => (choice as { StringEquals?: string }).StringEquals,
    );

    // Assess
    expect([...stages].sort()).toEqual([...STAGES].sort());
    for (const [name, state] of Object.entries(definition.States)) {
      if (name.startsWith("Plan ")) expect(state.Next, name).toBe("Resume?");
    }
  });

  it("resumes every stage after a rate limit", () => {
    // Prepare
    const resume = definition.States["Resume after rate limit"];
    const stagesWithTasks = new Set(
      tasks.map(([, state]) => state.Parameters?.Payload?.stage).filter(Boolean),
    );

    // Act
    const resumed = new Set(
      (resume?.Choices ?? []).map((choice) => (choice as { StringEquals?: string }).StringEquals),
    );

    // Assess
    for (const stage of stagesWithTasks) expect(resumed.has(stage), `stage ${stage}`).toBe(true);
    for (const stage of stagesWithTasks) expect(STAGES).toContain(stage);
  });

  it("caps every wait loop with a poll limit", () => {
    const waits = states.filter(([, state]) => state.Type === "Wait" && state.Next?.startsWith("Count "));
    expect(waits.length).toBe(3);
    for (const [name] of waits) {
      const stage = name.replace("Wait before polling ", "");
      const ready = definition.States[`${stage[0]?.toUpperCase()}${stage.slice(1)} ready?`];
      const cap = ready?.Choices?.find((choice) => choice.NumericGreaterThanEquals !== undefined);
      expect(cap, name).toBeDefined();
      expect(cap?.Next).toMatch(/poll limit reached$/);
    }
  });

  it("lets every webhook wait time out into its stage's capped poll loop", () => {
    // Prepare
    const callbackWaits = tasks.filter(([, state]) => state.Resource?.endsWith(".waitForTaskToken"));

    // Assess
    expect(callbackWaits.map(([name]) => name).sort()).toEqual([
      "Await render callback",
      "Await upload callback",
    ]);
    for (const [name, state] of callbackWaits) {
      const stage = name.replace(/^Await (\w+) callback$/, "$1");
      expect(state.HeartbeatSeconds, name).toBeGreaterThan(0);
      expect(state.TimeoutSeconds, name).toBeGreaterThan(state.HeartbeatSeconds as number);
      const timeout = state.Catch?.find((catcher) => catcher.ErrorEquals.includes("States.HeartbeatTimeout"));
      expect(timeout?.ErrorEquals, name).toContain("States.Timeout");
      expect(timeout?.Next, name).toBe(`Count ${stage} polls`);
      expect(state.Next, name).toBe(`${stage[0]?.toUpperCase()}${stage.slice(1)} ready?`);
    }
  });

  it("reaches every state from the start", () => {
    // Prepare
    const reached = new Set<string>();
    const queue = [definition.StartAt];

    // Act
    while (queue.length > 0) {
      const name = queue.pop() as string;
      if (reached.has(name)) continue;
      reached.add(name);
      const state = definition.States[name] as State;
      const next = [
        state.Next,
        state.Default,
        ...(state.Choices ?? []).map((c) => c.Next),
        ...(state.Catch ?? []).map((c) => c.Next),
      ];
      queue.push(...next.filter((n): n is string => typeof n === "string"));
    }

    // Assess
    expect([...reached].sort()).toEqual(Object.keys(definition.States).sort());
  });
});
