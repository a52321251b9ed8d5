import { describe, expect, it } from "vitest";
import { pathsFromEnvironment } from "../../../functions/providers/vidio/pathsFromEnvironment";

describe("pathsFromEnvironment", () => {
  it("reads overrides of VIDIO's assumed paths from JSON", () => {
    expect(pathsFromEnvironment({ VIDIO_PATHS: '{"getJob": "/jobs/{job_id}"}' })).toEqual({
      getJob: "/jobs/{job_id}",
    });
    expect(pathsFromEnvironment({})).toBeUndefined();
  });

  it("names the variable when it is not JSON", () => {
    expect(() => pathsFromEnvironment({ VIDIO_PATHS: "/jobs" })).toThrow(/VIDIO_PATHS must be JSON/);
  });
});
