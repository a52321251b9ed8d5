/** No execution carries this job id. */
export class JobNotFoundError extends Error {
  override readonly name = "JobNotFoundError";

  constructor(readonly jobId: string) {
    super(`no job ${jobId}`);
  }
}
