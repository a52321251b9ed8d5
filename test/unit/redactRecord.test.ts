import { afterEach, describe, expect, it } from "vitest";
import { callbackUrl } from "../../functions/callbacks/callbackSecret";
import {
  capText,
  forgetSecrets,
  redactRecord,
  redactString,
  rememberSecrets,
} from "../../functions/providers/core/redactRecord";

/** What a presigned GET carries on AWS: a signature, the key id it was signed with, an STS session token. */
const SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
const CREDENTIAL = "ASIAXAMPLE7KEYID%2F20240101%2Fus-east-1%2Fs3%2Faws4_request";
const TOKEN = "IQoJb3JpZ2luX2VjEJr%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEaCXVzLWVhc3QtMSJHMEUCIQD%2BabcXYZ%3D";
const PRESIGNED =
  "https://vidstep-sources.s3.us-east-1.amazonaws.com/inbox/a.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256" +
  `&X-Amz-Credential=${CREDENTIAL}&X-Amz-Date=20240101T000000Z&X-Amz-Expires=3600` +
  `&X-Amz-Security-Token=${TOKEN}&X-Amz-Signature=${SIGNATURE}&X-Amz-SignedHeaders=host&x-id=GetObject`;

/** The pieces of the presigned URL that are credentials; none may survive a redaction. */
const PRESIGNED_SECRETS = [SIGNATURE, CREDENTIAL, TOKEN, "ASIAXAMPLE7KEYID", "IQoJb3JpZ2luX2VjEJr"];

function expectClean(text: string, secrets: string[] = PRESIGNED_SECRETS) {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

afterEach(() => {
  forgetSecrets();
});

describe("redactString", () => {
  it.each([
    [
      "user info",
      "https://alice:s3cr3t-pw@media.example.com/a.mp4",
      "https://[redacted]@media.example.com/a.mp4",
    ],
    ["user without password", "ftp://alice@host/x", "ftp://[redacted]@host/x"],
    [
      "user info in prose",
      "cannot fetch http://bob:hunter22@10.0.0.1:8080/v (refused)",
      "cannot fetch http://[redacted]@10.0.0.1:8080/v (refused)",
    ],
    [
      "user info in escaped JSON",
      '{"url":"https:\\/\\/bob:hunter22@h\\/v"}',
      '{"url":"https:\\/\\/[redacted]@h\\/v"}',
    ],
    [
      "user info percent-encoded",
      "?next=https%3A%2F%2Fbob%3Ahunter22%40h%2Fv",
      "?next=https%3A%2F%2F[redacted]%40h%2Fv",
    ],
    [
      "user info encoded twice",
      "u=https%253A%252F%252Fbob%253Ahunter22%2540h",
      "u=https%253A%252F%252F[redacted]%2540h",
    ],
    ["an e-mail in a path is no user info", "https://h/users/a@b.com", "https://h/users/a@b.com"],
    ["X-Amz-Signature", `?X-Amz-Signature=${SIGNATURE}&x=1`, "?X-Amz-Signature=[redacted]&x=1"],
    ["X-Amz-Credential", `&X-Amz-Credential=${CREDENTIAL}&y`, "&X-Amz-Credential=[redacted]&y"],
    ["X-Amz-Security-Token", `&X-Amz-Security-Token=${TOKEN}`, "&X-Amz-Security-Token=[redacted]"],
    ["lower case", `?x-amz-security-token=${TOKEN}&b=2`, "?x-amz-security-token=[redacted]&b=2"],
    [
      "decoded values",
      "X-Amz-Credential=ASIAX/2024/us-east-1/s3/aws4_request, then",
      "X-Amz-Credential=[redacted], then",
    ],
    [
      "percent-encoded",
      `u=https%3A%2F%2Fh%2Fk%3FX-Amz-Security-Token%3D${TOKEN}%26X-Amz-Signature%3D${SIGNATURE}%26a%3D1`,
      "u=https%3A%2F%2Fh%2Fk%3FX-Amz-Security-Token%3D[redacted]%26X-Amz-Signature%3D[redacted]%26a%3D1",
    ],
    ["encoded twice", `u=X-Amz-Signature%253D${SIGNATURE}%2526a`, "u=X-Amz-Signature%253D[redacted]%2526a"],
    [
      "HTML-escaped ampersand",
      `?X-Amz-Signature=${SIGNATURE}&amp;a=1`,
      "?X-Amz-Signature=[redacted]&amp;a=1",
    ],
    [
      "JSON-escaped ampersand",
      `?X-Amz-Signature=${SIGNATURE}\\u0026a=1`,
      "?X-Amz-Signature=[redacted]\\u0026a=1",
    ],
    [
      "a quoted URL ends at the quote",
      `"${"?X-Amz-Signature="}${SIGNATURE}" next`,
      '"?X-Amz-Signature=[redacted]" next',
    ],
    [
      "SigV2 signature",
      "?AWSAccessKeyId=AKIA&Signature=abc%2Bdef%3D&Expires=1",
      "?AWSAccessKeyId=AKIA&Signature=[redacted]&Expires=1",
    ],
    ["a longer name is another parameter", "?notasecret=1&secretive=2", "?notasecret=1&secretive=2"],
    [
      "plain text is left alone",
      "videodev importMedia: rejected (HTTP 400: bad)",
      "videodev importMedia: rejected (HTTP 400: bad)",
    ],
  ])("hides %s", (_case, input, expected) => {
    // Act
    const redacted = redactString(input);

    // Assess
    expect(redacted).toBe(expected);
    expect(redactString(redacted)).toBe(redacted);
  });

  it("hides a whole presigned URL's credentials and keeps what locates the object", () => {
    // Act
    const redacted = redactString(`provider could not fetch ${PRESIGNED}: 403`);

    // Assess
    expectClean(redacted);
    expect(redacted).toContain("https://vidstep-sources.s3.us-east-1.amazonaws.com/inbox/a.mp4?");
    expect(redacted).toContain("X-Amz-Expires=3600");
    expect(redacted).toContain("x-id=GetObject: 403");
  });

  it("hides a video.dev callback URL's secret", () => {
    // Prepare
    const url = callbackUrl(
      "https://hooks.example.com/webhooks/videodev",
      "signing-key-1",
      "job-1",
      "awaitRender",
    );
    const secret = new URL(url).searchParams.get("secret") as string;

    // Act
    const redacted = redactString(`video.dev refused webhook ${url}`);

    // Assess
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain("job=job-1&stage=awaitRender&secret=[redacted]");
  });

  it("hides remembered secrets and those given with the call, longest first", () => {
    // Prepare
    rememberSecrets("sim-vidio-key", undefined, "abc");

    // Act
    const redacted = redactString("keys sim-vidio-key, cb-secret-xyz and abc", ["cb-secret-xyz"]);

    // Assess: too short a remembered secret would hide ordinary words, so it is not one.
    expect(redacted).toBe("keys [redacted], [redacted] and abc");
  });

  it("scans a 5 MiB text without a pathological pattern", () => {
    // Prepare: runs that would make a naive `scheme://...@` pattern backtrack quadratically.
    const text = `${"a".repeat(5 * 1024 * 1024)}://${"b".repeat(1024)} X-Amz-Signature=${"c".repeat(1024)}`;

    // Act
    const redacted = redactString(text);

    // Assess
    expect(redacted.endsWith("X-Amz-Signature=[redacted]")).toBe(true);
  });
});

describe("capText", () => {
  it("keeps short text and cuts long text, saying how long it was", () => {
    expect(capText("short", 200)).toBe("short");
    expect(capText("x".repeat(5_242_880), 200)).toBe(`${"x".repeat(200)}… (5242880 characters)`);
  });
});

describe("redactRecord", () => {
  it("hides credentials in nested objects and arrays, and fields named as credentials", () => {
    // Prepare
    const record = {
      status: "failed",
      failure: {
        message: `vidori importVideos: rejected (HTTP 400: cannot download ${PRESIGNED})`,
        problems: [{ field: "source.url", value: "https://u:pw-123456@h/v.mp4" }],
      },
      headers: { Authorization: "Basic dXNlcjpwYXNz", "x-api-key": "sim-vidio-key" },
      count: 3,
      ok: true,
      none: null,
    };

    // Act
    const redacted = redactRecord(record);

    // Assess
    expectClean(JSON.stringify(redacted), [
      ...PRESIGNED_SECRETS,
      "pw-123456",
      "dXNlcjpwYXNz",
      "sim-vidio-key",
    ]);
    expect(redacted).toMatchObject({
      status: "failed",
      failure: { problems: [{ field: "source.url", value: "https://[redacted]@h/v.mp4" }] },
      headers: { Authorization: "[redacted]", "x-api-key": "[redacted]" },
      count: 3,
      ok: true,
      none: null,
    });
    expect(record.failure.message).toContain(SIGNATURE);
  });

  it("follows an error's cause chain and survives cycles", () => {
    // Prepare
    const cause = new Error(`GET ${PRESIGNED} answered 403`);
    const error = Object.assign(new Error("import failed for https://bob:hunter22@h/v", { cause }), {
      status: 502,
    });
    const cyclic: Record<string, unknown> = { error };
    cyclic.self = cyclic;

    // Act
    const redacted = redactRecord(cyclic);

    // Assess
    const text = JSON.stringify(redacted);
    expectClean(text, [...PRESIGNED_SECRETS, "hunter22"]);
    expect(redacted).toEqual({
      error: {
        name: "Error",
        message: "import failed for https://[redacted]@h/v",
        status: 502,
        cause: { name: "Error", message: expect.stringContaining("X-Amz-Signature=[redacted]") },
      },
      self: "[circular]",
    });
  });

  it("caps strings and arrays when asked, after redacting", () => {
    // Prepare
    const record = { body: "y".repeat(5_242_880), items: Array.from({ length: 120 }, (_, i) => i) };

    // Act
    const redacted = redactRecord(record, { maxChars: 200, maxItems: 50 });

    // Assess
    expect(redacted.body).toBe(`${"y".repeat(200)}… (5242880 characters)`);
    expect(redacted.items).toHaveLength(51);
    expect(redacted.items.at(-1)).toBe("… (120 items)");
  });

  it("keeps a __proto__ field a field", () => {
    // Prepare
    const record = JSON.parse('{"__proto__": {"polluted": "https://a:b@h"}}') as Record<string, unknown>;

    // Act
    const redacted = redactRecord(record);

    // Assess
    expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(redacted, "__proto__")?.value).toEqual({
      polluted: "https://[redacted]@h",
    });
  });
});
