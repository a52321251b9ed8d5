import { describe, expect, it } from "vitest";
import { findSecrets } from "./secretScan";

describe("findSecrets", () => {
  it("finds literal keys, presigned-URL parameters and URL passwords, naming the kind, not the value", () => {
    // Prepare
    const text = [
      '{"message":"bad key sim-key-1"}',
      "GET http://127.0.0.1:9000/b/k.mp4?X-Amz-Credential=AKIA%2F20260101&X-Amz-Signature=abc123def456",
      "from http://user:s3cret@127.0.0.1/b/k.mp4",
    ].join("\n");

    // Act
    const findings = findSecrets([{ where: "results/job.json", text }], { "test key": "sim-key-1" });

    // Assess
    expect(findings.map((finding) => finding.kind)).toEqual([
      "test key",
      "X-Amz-Credential",
      "X-Amz-Signature",
      "URL password",
    ]);
    expect(findings.every((finding) => finding.where === "results/job.json")).toBe(true);
    expect(findings.map((finding) => finding.excerpt).join(" ")).not.toMatch(/sim-key-1|abc123def456|s3cret/);
  });

  it("leaves redacted values and URLs without a password alone", () => {
    // Prepare
    const text =
      "http://127.0.0.1/b/k.mp4?X-Amz-Signature=REDACTED&X-Amz-Credential=%5Bredacted%5D and http://user@host/x and http://***:***@host/";

    // Act
    const findings = findSecrets([{ where: "logs", text }], {});

    // Assess
    expect(findings).toEqual([]);
  });

  it("counts a password that is both a known literal and a URL's password once", () => {
    // Act
    const findings = findSecrets([{ where: "events", text: "http://u:pw-literal@h/x" }], {
      "URL password": "pw-literal",
    });

    // Assess
    expect(findings).toHaveLength(1);
  });
});
