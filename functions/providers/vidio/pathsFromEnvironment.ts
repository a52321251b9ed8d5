import { ConfigurationError } from "../../handlers/core/environment";
import type { VidioPaths } from "./VidioClient";

/** VIDIO's REST paths are assumed; `VIDIO_PATHS` (JSON, e.g. `{"getJob": "/jobs/{job_id}"}`) overrides them. */
export function pathsFromEnvironment(env: NodeJS.ProcessEnv = process.env): Partial<VidioPaths> | undefined {
  const text = env.VIDIO_PATHS;
  if (!text) return undefined;
  try {
    return JSON.parse(text) as Partial<VidioPaths>;
  } catch {
    throw new ConfigurationError('VIDIO_PATHS must be JSON like {"getJob": "/highlight-reels/{job_id}"}');
  }
}
