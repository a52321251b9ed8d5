import type { Stage } from "../../functions/pipeline/stages";
import type { TaskState } from "./asl";
import { providerTask } from "./providerTask";
import { callbackPlanKey, waitStateNames } from "./stateNames";

/** A webhook later than this since the task started is taken as lost. */
const HEARTBEAT_SECONDS = 900;
/** Even a heartbeat-sending wait ends here and polling takes over. */
const CALLBACK_TIMEOUT_SECONDS = 3600;

/**
 * A wait stage waiting for the provider's webhook instead of polling. The callback function files the task
 * token; the webhook receiver completes the task with the same answer the poll step would give, so the same
 * `ready?` Choice follows. A lost webhook times out into the stage's capped poll loop.
 */
export function callbackWait(stage: Stage): TaskState {
  const names = waitStateNames(stage);
  return providerTask({
    stage,
    comment:
      "Webhooks instead of polling: the function files this task's token and the provider's webhook completes it with the poll step's own answer. Silence past the heartbeat means a lost webhook: polling takes over.",
    resource: "arn:aws:states:::lambda:invoke.waitForTaskToken",
    functionPath: `$.plan.${callbackPlanKey(stage)}`,
    payload: { "taskToken.$": "$$.Task.Token" },
    // The webhook sends the answer itself, not Lambda's invoke envelope.
    answerPath: "$",
    heartbeatSeconds: HEARTBEAT_SECONDS,
    timeoutSeconds: CALLBACK_TIMEOUT_SECONDS,
    catchers: [
      {
        ErrorEquals: ["States.HeartbeatTimeout", "States.Timeout"],
        ResultPath: `$.callbackLost.${stage}`,
        Next: names.count,
      },
    ],
    next: names.ready,
  });
}
