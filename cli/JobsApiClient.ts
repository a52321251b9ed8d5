import type { JobView } from "../functions/jobs/jobStatus";
import { UsageError } from "./buildJob";

/** What `POST /jobs` answers. */
export interface SubmittedJobAnswer {
  jobId: string;
  status: string;
}

/** How often the CLI asks how a job stands: often enough to show each step of a simulated run. */
const POLL_MS = 25;

/** The jobs API as the CLI calls it: the local one on 127.0.0.1 (no SigV4 there). */
export class JobsApiClient {
  constructor(private readonly url: string) {}

  /** Submits a job spec; the API's 400 is bad input, reported with every field it names. */
  async submit(spec: unknown, idempotencyKey?: string): Promise<SubmittedJobAnswer> {
    const response = await fetch(`${this.url}/jobs`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(idempotencyKey ? { "idempotency-key": idempotencyKey } : {}),
      },
      body: JSON.stringify(spec),
    });
    const body = (await response.json()) as SubmittedJobAnswer & { message?: string };
    if (response.status === 400) throw new UsageError(body.message ?? "the API refused the job spec");
    if (!response.ok) throw new Error(`POST /jobs answered ${response.status}: ${body.message ?? ""}`);
    return body;
  }

  /** How a job stands, as `GET /jobs/{id}` shows it. */
  async status(jobId: string): Promise<JobView> {
    const response = await fetch(`${this.url}/jobs/${encodeURIComponent(jobId)}`);
    const body = (await response.json()) as JobView & { message?: string };
    if (response.status === 404 || response.status === 400)
      throw new UsageError(body.message ?? `no job ${jobId}`);
    if (!response.ok)
      throw new Error(`GET /jobs/${jobId} answered ${response.status}: ${body.message ?? ""}`);
    return body;
  }

  /** Polls a job until it ends, calling `onStep` with each new current step. */
  async waitForEnd(jobId: string, onStep: (step: string) => void): Promise<JobView> {
    let last: string | undefined;
    for (;;) {
      const view = await this.status(jobId);
      if (view.currentStep && view.currentStep !== last) onStep(view.currentStep);
      last = view.currentStep ?? last;
      if (view.status !== "running") return view;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
