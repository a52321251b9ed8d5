/**
 * The Lambda functions that start and inspect jobs from outside the state machine (the HTTP API's routes
 * and the S3 upload trigger), in the catalog's shape so the CDK app builds them the same way.
 */
import type { PipelineFunction } from "./catalog";

export const ENTRY_FUNCTIONS = {
  postJob: {
    id: "ApiPostJob",
    entry: "functions/handlers/api/postJob.ts",
    description: "HTTP API POST /jobs: validate a job spec and start its job (Idempotency-Key aware)",
    memoryMb: 256,
    timeoutSeconds: 15,
  },
  getJob: {
    id: "ApiGetJob",
    entry: "functions/handlers/api/getJob.ts",
    description: "HTTP API GET /jobs/{id}: a job's status, current step, result or failure",
    memoryMb: 256,
    timeoutSeconds: 15,
  },
  redriveJob: {
    id: "ApiRedriveJob",
    entry: "functions/handlers/api/redriveJob.ts",
    description: "HTTP API POST /jobs/{id}/redrive: re-run a failed job from its failed stage",
    memoryMb: 256,
    timeoutSeconds: 15,
  },
  startJobFromUpload: {
    id: "StartJobFromUpload",
    entry: "functions/handlers/uploads/startJobFromUpload.ts",
    description: "S3 upload trigger: start the job of a video (or its job spec) landing under inbox/",
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  receiveWebhook: {
    id: "ReceiveWebhook",
    entry: "functions/handlers/webhooks/receiveWebhook.ts",
    description:
      "HTTP API POST /webhooks/{provider}: verify a provider's callback and complete the waiting step",
    memoryMb: 256,
    timeoutSeconds: 15,
  },
  recordStoppedExecution: {
    id: "RecordStoppedExecution",
    entry: "functions/handlers/recordStoppedExecution.ts",
    recordsResults: true,
    description: "Write the result and event of a job whose execution timed out or was aborted",
    memoryMb: 128,
    timeoutSeconds: 30,
  },
} as const satisfies Record<string, PipelineFunction>;
