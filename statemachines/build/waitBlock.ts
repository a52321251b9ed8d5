import type { Stage } from "../../functions/pipeline/stages";
import type { Block, ChoiceRule } from "./asl";
import { callbackWait } from "./callbackWait";
import { pollLoop } from "./pollLoop";
import { callbackPlanKey, planPath, waitedStage, waitStateNames } from "./stateNames";

/**
 * A wait stage (awaitUpload, ...): skipped when the plan has nothing to wait with, a webhook wait when
 * `withCallback` (some provider can wait on a webhook here) and the plan and deployment allow it, the
 * capped poll loop otherwise.
 */
export function waitBlock(stage: Stage, next: string, withCallback: boolean): Block {
  const names = waitStateNames(stage);
  const waited = waitedStage(stage) ?? stage;
  const callbackRule: ChoiceRule = {
    And: [
      { Variable: `$.plan.${callbackPlanKey(stage)}`, IsPresent: true },
      { Variable: "$.webhooks", IsPresent: true },
      { Variable: "$.webhooks", StringEquals: "true" },
    ],
    Next: names.callback,
  };
  return {
    title: `Wait for ${waited}`,
    lane: true,
    states: {
      [names.present]: {
        Type: "Choice",
        Comment: withCallback
          ? "Webhooks where the provider has them and a public webhook URL is configured; polling otherwise."
          : `Polls where the provider's ${waited} step finishes later; skipped where it is done on return.`,
        Choices: [
          ...(withCallback ? [callbackRule] : []),
          { Variable: planPath(stage), IsPresent: true, Next: names.count },
        ],
        Default: next,
      },
      ...(withCallback ? { [names.callback]: callbackWait(stage) } : {}),
      ...pollLoop(stage, next),
    },
  };
}
