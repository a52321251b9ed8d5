import { describe, expect, it } from "vitest";
import { vidioPathsFromEnvironment } from "../../functions/handlers/vidio/vidioPathsFromEnvironment";

describe("vidioPathsFromEnvironment", () => {
  it("reads overrides of VIDIO's assumed paths from JSON", () => {
    expect(vidioPathsFromEnvironment({ VIDIO_PATHS: '{"getJob": "/jobs/{job_id}"}' })).toEqual({
      getJob: "/jobs/{job_id}",
    });
    expect(vidioPathsFromEnvironment({})).toBeUndefined();
  });

  it("names the variable when it is not JSON", () => {
    expect(() => vidioPathsFromEnvironment({ VIDIO_PATHS: "/jobs" })).toThrow(/VIDIO_PATHS must be JSON/);
  });
});
