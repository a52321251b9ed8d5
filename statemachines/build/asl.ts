/**
 * The few Amazon States Language shapes the workflows use, typed so that the builder cannot write a state
 * without its `Comment` or a transition without a target. Not a general ASL model: a field we do not use
 * is not here.
 */

/** One Retry rule; every rule of ours backs off with full jitter and a cap. */
export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds: number;
  BackoffRate: number;
  MaxAttempts: number;
  MaxDelaySeconds: number;
  JitterStrategy: "FULL";
}

/** One Catch rule. */
export interface Catcher {
  ErrorEquals: string[];
  ResultPath: string;
  Next: string;
}

/** A Choice condition, as written in the JSONPath dialect. */
export type Condition =
  | {
      Variable: string;
      IsPresent?: boolean;
      StringEquals?: string;
      BooleanEquals?: boolean;
      NumericGreaterThan?: number;
      NumericGreaterThanEquals?: number;
    }
  | { And: Condition[] };

/** A Choice rule: a condition and where it leads. */
export type ChoiceRule = Condition & { Next: string };

/** Either a Next or an End. */
type Transition = { Next: string; End?: never } | { End: true; Next?: never };

export type TaskState = {
  Type: "Task";
  Comment: string;
  Resource: string;
  Parameters: Record<string, unknown>;
  ResultSelector?: Record<string, string>;
  ResultPath?: string | null;
  OutputPath?: string;
  HeartbeatSeconds?: number;
  TimeoutSeconds?: number;
  Retry?: Retrier[];
  Catch?: Catcher[];
} & Transition;

export interface ChoiceState {
  Type: "Choice";
  Comment: string;
  Choices: ChoiceRule[];
  Default: string;
}

export interface PassState {
  Type: "Pass";
  Comment: string;
  InputPath?: string;
  Parameters?: Record<string, unknown>;
  Result?: Record<string, unknown>;
  ResultPath?: string;
  Next: string;
}

export interface WaitState {
  Type: "Wait";
  Comment: string;
  SecondsPath: string;
  Next: string;
}

export interface FailState {
  Type: "Fail";
  Comment: string;
  Error?: string;
  Cause?: string;
  ErrorPath?: string;
  CausePath?: string;
}

export type State = TaskState | ChoiceState | PassState | WaitState | FailState;

/** States by name, in the order they are written to the file. */
export type States = Record<string, State>;

/** A group of states that serve one purpose; the diagram draws each block as one box. */
export interface Block {
  title: string;
  states: States;
  /** A stage of the lane every provider runs through (drawn inside the lane). */
  lane?: true;
  /** Drawn state by state rather than as one box (where providers differ). */
  detailed?: true;
}

/** A whole state machine definition. */
export interface StateMachine {
  Comment: string;
  StartAt: string;
  TimeoutSeconds: number;
  States: States;
}
