/**
 * Every Lambda function of the pipeline, in one list that the CDK app, the local runtime and the tests all
 * read: each function's handler file, and the `${<id>FunctionArn}` placeholder the state machine
 * definition uses for it. A test checks that list and definition agree. Provider functions come from each
 * provider's descriptor (`functions/providers/registry.ts`).
 */
import { PROVIDER_FUNCTIONS, type Provider, type ProviderFunctionId } from "./providers/registry";

export interface PipelineFunction {
  id: string;
  /** The handler file, relative to the project root; it exports `handler`. */
  entry: string;
  /** Whose credentials the function reads; undefined for steps that call no provider. */
  provider?: Provider;
  /** Whether it reads the job's source objects (ranged or presigned GETs), and so needs read access. */
  readsSources?: boolean;
  /** Whether it writes `results/<jobId>.json` and publishes job events. */
  recordsResults?: boolean;
  /**
   * Whether it files task tokens for webhooks: it needs read/write on `callbacks/*` of the callback bucket
   * and states:SendTaskSuccess/SendTaskFailure (a completion event may have come first).
   */
  callbacks?: boolean;
  /** Whether it gives the provider a signed callback URL (when webhooks are on), so it needs the signing key. */
  sendsCallbackUrls?: boolean;
  description: string;
  /** Sized per operation: an upload holds a chunk and its multipart copy, a poll holds one small JSON. */
  memoryMb: number;
  timeoutSeconds: number;
}

/** The functions that serve every provider: the records a job ends with. */
const NEUTRAL_FUNCTIONS = [
  {
    id: "RecordFailure",
    entry: "functions/handlers/recordFailure.ts",
    description: "Turn a caught error into a failure record naming provider, step and reason",
    memoryMb: 128,
    timeoutSeconds: 30,
  },
  {
    id: "RecordResult",
    entry: "functions/handlers/recordResult.ts",
    recordsResults: true,
    description: "Write results/<jobId>.json and publish the job's EventBridge event",
    memoryMb: 128,
    timeoutSeconds: 30,
  },
] as const satisfies readonly PipelineFunction[];

export type PipelineFunctionId = ProviderFunctionId | (typeof NEUTRAL_FUNCTIONS)[number]["id"];

/** The functions behind the state machine's Task states: each provider's (from the registry), then the records. */
export const PIPELINE_FUNCTIONS: readonly (PipelineFunction & { id: PipelineFunctionId })[] = [
  ...PROVIDER_FUNCTIONS,
  ...NEUTRAL_FUNCTIONS,
];

/** The definition's placeholder for a function's ARN. */
export function arnPlaceholder(id: PipelineFunctionId): string {
  return `${id}FunctionArn`;
}
