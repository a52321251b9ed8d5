import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ProviderAuthError,
  ProviderOutcomeUnknownError,
  ProviderProtocolError,
  ProviderRejectedError,
  ProviderUnavailableError,
  RateLimitedError,
} from "../../../functions/providers/core/errors";
import { InvalidInputError } from "../../../functions/providers/core/InvalidInputError";
import type { ViostreamMediaWire } from "../../../functions/providers/viostream/schemas";
import {
  describeViostreamError,
  embedFor,
  parseDuration,
  VIOSTREAM_PLAYER_BASE_URL,
  ViostreamClient,
  type ViostreamCredentials,
} from "../../../functions/providers/viostream/ViostreamClient";
import { ViostreamSimulator } from "../../../functions/providers/viostream/ViostreamSimulator";
import { captured, everythingShown, pollSeen, stopServer } from "../testing";

const CREDENTIALS: ViostreamCredentials = {
  accessKey: "VC-test-ACCESS-7788",
  apiKey: "vio-SECRET-api-key-4242",
};
const WRONG: ViostreamCredentials = { accessKey: "VC-test-ACCESS-7788", apiKey: "vio-WRONG-api-key-9999" };
const basicToken = (credentials: ViostreamCredentials) =>
  Buffer.from(`${credentials.accessKey}:${credentials.apiKey}`).toString("base64");
const FIXTURE = new URL("../../fixtures/sample-4s-landscape.mp4", import.meta.url);

/** Serves the sample video the way S3 does (Content-Length and byte ranges): the ingest's source. */
async function startSourceServer(video: Buffer) {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    requests.push(path);
    if (req.method !== "GET" || path !== "/source/sample-4s-landscape.mp4") {
      res.writeHead(404).end("NoSuchKey");
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? "");
    if (!range) {
      res.writeHead(200, { "content-length": String(video.length) }).end(video);
      return;
    }
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : video.length - 1, video.length - 1);
    res
      .writeHead(206, {
        "content-range": `bytes ${start}-${end}/${video.length}`,
        "content-length": String(end - start + 1),
      })
      .end(video.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** A client whose transport answers every request with `body`, for contract tests without a server. */
function answering(body: unknown, status = 200, seen: { url: string; headers: Headers }[] = []) {
  return new ViostreamClient({
    baseUrl: "https://api.app.viostream.com/v3/api",
    credentials: CREDENTIALS,
    fetch: async (url, init) => {
      seen.push({ url, headers: new Headers(init.headers) });
      return typeof body === "string" ? new Response(body, { status }) : Response.json(body, { status });
    },
  });
}

const media = (overrides: Partial<ViostreamMediaWire>): ViostreamMediaWire => ({
  id: "media_1",
  key: "key1",
  title: "t",
  description: null,
  duration: "00:00:04",
  status: "Online",
  createdDate: "2025-08-08T10:30:00Z",
  referenceId: "ref-1",
  thumbnail: null,
  ...overrides,
});

describe("ViostreamClient against the Viostream simulator", () => {
  let simulator: ViostreamSimulator;
  let source: Awaited<ReturnType<typeof startSourceServer>>;
  let client: ViostreamClient;
  let baseUrl: string;
  let sourceUrl: string;
  let counter = 0;
  const nextReference = () => {
    counter += 1;
    return `job-${Date.now()}-${counter}`;
  };
  const ingest = (referenceId = nextReference()) =>
    client.createIngest({ sourceUrl, filename: "Marketing Video Q1 2025", extension: "mp4", referenceId });
  const settled = (ingestId: string) =>
    pollSeen(
      () => client.getIngestStatus(ingestId),
      (status) => status.status !== "Processing",
    );

  beforeAll(async () => {
    source = await startSourceServer(await readFile(FIXTURE));
    simulator = new ViostreamSimulator({ ...CREDENTIALS, processingMs: 60 });
    baseUrl = await simulator.start();
    client = new ViostreamClient({ baseUrl, credentials: CREDENTIALS, timeoutMs: 2_000 });
    // Presigned-looking: its signature must not show up in errors.
    sourceUrl = `${source.base}/source/sample-4s-landscape.mp4?X-Amz-Signature=sig-abc123`;
  });

  afterAll(async () => {
    await simulator.stop();
    await stopServer(source.server);
  });

  afterEach(() => {
    simulator.server.faults.clear();
  });

  it("reads the account with good credentials", async () => {
    // Prepare: the simulator accepts CREDENTIALS.
    // Act
    const account = await client.accountInfo();
    // Assess
    expect(account).toEqual({ id: "acc_simulator", name: "Viostream simulator" });
    expect(JSON.stringify(account)).not.toContain(CREDENTIALS.accessKey);
  });

  it("turns refused credentials into ProviderAuthError", async () => {
    // Prepare
    const wrong = new ViostreamClient({ baseUrl, credentials: WRONG });
    // Act
    const error = await captured(() => wrong.accountInfo());
    // Assess
    expect(error).toBeInstanceOf(ProviderAuthError);
    expect((error as ProviderAuthError).status).toBe(401);
    expect((error as ProviderAuthError).retryable).toBe(false);
    expect((error as Error).message).toContain("credentials refused");
  });

  it("ingests a URL: Processing, then Online, then the media by referenceId, its duration and embed code", async () => {
    // Prepare
    const referenceId = nextReference();
    // Act
    const { ingestId } = await ingest(referenceId);
    const statuses = await settled(ingestId);
    const found = await client.findMediaByReferenceId(referenceId);
    const seconds = parseDuration(found?.duration ?? "");
    const embed = embedFor(found ?? { key: "" });
    // Assess
    expect(ingestId).not.toBe("");
    expect(statuses[0]?.status).toBe("Processing");
    expect(statuses.at(-1)).toEqual({ status: "Online" });
    expect(found).toMatchObject({
      title: "Marketing Video Q1 2025",
      referenceId,
      status: "Online",
      duration: "00:00:04",
    });
    expect(found?.description).toBeUndefined();
    expect(found?.thumbnail).toMatch(new RegExp(`^${baseUrl}/thumbnails/`));
    expect(seconds).toBe(4);
    expect(embed.embedUrl).toBe(`https://play.viostream.com/iframe/${found?.key}`);
    expect(embed.iframe).toContain(`src="${embed.embedUrl}"`);
    expect(embed.iframe).toContain(
      'style="padding-bottom:56.25%; position:relative; display:block; width:100%"',
    );
    expect(embed.iframe).toContain('allow="autoplay; encrypted-media; picture-in-picture"');
    expect(embed.iframe).toContain("allowfullscreen");
    expect(source.requests.length).toBeGreaterThan(0);
  });

  it("reports a failed ingest with Viostream's error text", async () => {
    // Prepare
    simulator.failNextIngest("Transcoding failed: unsupported codec");
    // Act
    const { ingestId } = await ingest();
    const statuses = await settled(ingestId);
    // Assess
    expect(statuses.at(-1)).toEqual({ status: "Failed", error: "Transcoding failed: unsupported codec" });
  });

  it("ends an ingest whose source is unreachable Failed, and makes no media of it", async () => {
    // Prepare: a port that was just free, so nothing answers on it.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await stopServer(closed);
    const referenceId = nextReference();
    // Act
    const { ingestId } = await client.createIngest({
      sourceUrl: `http://127.0.0.1:${port}/gone.mp4`,
      filename: "gone",
      extension: "mp4",
      referenceId,
    });
    const statuses = await settled(ingestId);
    const found = await client.findMediaByReferenceId(referenceId);
    // Assess
    expect(statuses.at(-1)?.status).toBe("Failed");
    expect(statuses.at(-1)?.error).toContain("could not be downloaded");
    expect(found).toBeUndefined();
  });

  it("ends an ingest whose source answers 404 Failed with the status in the error", async () => {
    // Prepare
    const missing = `${source.base}/source/no-such-object.mp4`;
    // Act
    const { ingestId } = await client.createIngest({
      sourceUrl: missing,
      filename: "missing",
      extension: "mp4",
      referenceId: nextReference(),
    });
    const statuses = await settled(ingestId);
    // Assess
    expect(statuses.at(-1)).toEqual({ status: "Failed", error: "source could not be downloaded (HTTP 404)" });
  });

  it("finds nothing for a referenceId no ingest used", async () => {
    // Prepare
    await settled((await ingest()).ingestId);
    // Act
    const found = await client.findMediaByReferenceId("never-used-reference");
    // Assess
    expect(simulator.media().length).toBeGreaterThan(0);
    expect(found).toBeUndefined();
  });

  it("sends the extension in lower case and accepts any case", async () => {
    // Prepare
    const referenceId = nextReference();
    // Act
    const { ingestId } = await client.createIngest({
      sourceUrl,
      filename: "Upper",
      extension: "MP4",
      referenceId,
    });
    await settled(ingestId);
    // Assess
    expect((await client.findMediaByReferenceId(referenceId))?.status).toBe("Online");
  });

  it.each([
    {
      field: "sourceUrl",
      value: "ftp://bucket.example/v.mp4?X-Amz-Signature=topsecret",
      shows: "ftp://bucket.example/v.mp4",
    },
    { field: "sourceUrl", value: "not a url", shows: '"not a url"' },
    { field: "filename", value: "   ", shows: '"   "' },
    { field: "extension", value: "flv", shows: '"flv"' },
    { field: "referenceId", value: "", shows: '""' },
    { field: "referenceId", value: "r".repeat(101), shows: "rrrr" },
  ])(
    "refuses a bad $field before sending anything, naming it and the value",
    async ({ field, value, shows }) => {
      // Prepare
      const input = { sourceUrl, filename: "ok", extension: "mp4", referenceId: "ref-ok", [field]: value };
      const requestsBefore = simulator.server.log.length;
      // Act
      const error = await captured(() => client.createIngest(input));
      // Assess
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe(field);
      expect((error as Error).message).toContain(`${field}: `);
      expect((error as Error).message).toContain(shows);
      expect((error as Error).message).not.toContain("topsecret");
      expect(simulator.server.log.length).toBe(requestsBefore);
    },
  );

  it("refuses an empty ingest id or referenceId before sending anything", async () => {
    // Prepare
    const requestsBefore = simulator.server.log.length;
    // Act
    const status = await captured(() => client.getIngestStatus(" "));
    const find = await captured(() => client.findMediaByReferenceId(""));
    // Assess
    expect((status as InvalidInputError).field).toBe("ingestId");
    expect((find as InvalidInputError).field).toBe("referenceId");
    expect(simulator.server.log.length).toBe(requestsBefore);
  });

  it("turns Viostream's 400 into ProviderRejectedError naming the field", async () => {
    // Prepare: a transport that spoils the body after local validation, as a client bug would.
    const spoiling = new ViostreamClient({
      baseUrl,
      credentials: CREDENTIALS,
      fetch: (url, init) =>
        fetch(url, { ...init, body: JSON.stringify({ ...JSON.parse(String(init.body)), extension: "flv" }) }),
    });
    // Act
    const error = await captured(() =>
      spoiling.createIngest({ sourceUrl, filename: "f", extension: "mp4", referenceId: nextReference() }),
    );
    // Assess
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect((error as ProviderRejectedError).status).toBe(400);
    expect((error as ProviderRejectedError).field).toBe("extension");
    expect((error as Error).message).toContain("extension must be one of mp4");
  });

  it("turns a 429 into RateLimitedError carrying Viostream's Retry-After", async () => {
    // Prepare
    simulator.server.faults.rateLimit({ times: 1, route: "GET /media", retryAfterSeconds: 7 });
    // Act
    const error = await captured(() => client.findMediaByReferenceId("ref-x"));
    const after = await client.findMediaByReferenceId("ref-x");
    // Assess
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterSeconds).toBe(7);
    expect(after).toBeUndefined();
  });

  it("turns a 503 into a retryable ProviderUnavailableError", async () => {
    // Prepare
    simulator.server.faults.unavailable({ times: 1, route: "POST /media/new" });
    // Act
    const error = await captured(() => ingest());
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).status).toBe(503);
    expect((error as ProviderUnavailableError).retryable).toBe(true);
  });

  it("turns a dropped connection on media/new into ProviderOutcomeUnknownError: the create is not repeated", async () => {
    // Prepare
    simulator.server.faults.dropConnection({ times: 1, route: "POST /media/new" });
    const creates = simulator.server.count("POST /media/new");
    // Act
    const error = await captured(() => ingest());
    // Assess
    expect(error).toBeInstanceOf(ProviderOutcomeUnknownError);
    expect((error as ProviderOutcomeUnknownError).retryable).toBe(false);
    expect((error as Error).message).toContain("may have acted on it");
    expect(simulator.server.count("POST /media/new")).toBe(creates + 1);
  });

  it("turns a dropped connection on a status poll into a retryable ProviderUnavailableError", async () => {
    // Prepare
    simulator.server.faults.dropConnection({ times: 1, route: "GET /media/new/status/:ingestId" });
    // Act
    const error = await captured(() => client.getIngestStatus("any-ingest"));
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toContain("connection");
  });

  it("turns no answer within the timeout into ProviderUnavailableError", async () => {
    // Prepare
    const impatient = new ViostreamClient({ baseUrl, credentials: CREDENTIALS, timeoutMs: 50 });
    simulator.server.faults.addLatency(300);
    // Act
    const error = await captured(() => impatient.accountInfo());
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toContain("no answer within 50 ms");
  });

  it("turns a read whose body is not JSON into a retryable ProviderUnavailableError", async () => {
    // Prepare
    simulator.server.faults.malformedBody({ times: 1, route: "GET /media/new/status/:ingestId" });
    const { ingestId } = await ingest();
    // Act
    const error = await captured(() => client.getIngestStatus(ingestId));
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toContain("not JSON");
  });

  it("answers 404 for an unknown ingest as ProviderRejectedError", async () => {
    // Prepare: an id no ingest has.
    // Act
    const error = await captured(() => client.getIngestStatus("00000000-0000-0000-0000-000000000000"));
    // Assess
    expect(error).toBeInstanceOf(ProviderRejectedError);
    expect((error as ProviderRejectedError).status).toBe(404);
    expect((error as Error).message).toContain("was not found");
  });

  it("never puts the credentials, or the Basic header made of them, in an error", async () => {
    // Prepare
    const wrong = new ViostreamClient({ baseUrl, credentials: WRONG, timeoutMs: 1_000 });
    const { ingestId } = await ingest();
    simulator.server.faults
      .rateLimit({ times: 1, route: "GET /media" })
      .unavailable({ times: 1, route: "GET /account/info" })
      .dropConnection({ times: 1, route: "POST /media/new" })
      .malformedBody({ times: 1, route: "GET /media/new/status/:ingestId" });
    // Act
    const errors = [
      await captured(() => client.findMediaByReferenceId("ref")),
      await captured(() => client.accountInfo()),
      await captured(() => ingest()),
      await captured(() => client.getIngestStatus(ingestId)),
      await captured(() => client.getIngestStatus("unknown-ingest")),
      await captured(() => wrong.accountInfo()),
      await captured(() =>
        client.createIngest({ sourceUrl, filename: "", extension: "mp4", referenceId: "r" }),
      ),
      await captured(
        () =>
          new ViostreamClient({
            baseUrl,
            credentials: { accessKey: "AB-1", apiKey: "vio-SECRET-api-key-4242" },
          }),
      ),
    ];
    // Assess
    expect(errors.map((error) => (error as Error).name)).toEqual([
      "RateLimitedError",
      "ProviderUnavailableError",
      "ProviderOutcomeUnknownError",
      "ProviderUnavailableError",
      "ProviderRejectedError",
      "ProviderAuthError",
      "InvalidInputError",
      "InvalidInputError",
    ]);
    for (const error of errors) {
      const text = everythingShown(error);
      for (const secret of [CREDENTIALS.apiKey, WRONG.apiKey, basicToken(CREDENTIALS), basicToken(WRONG)]) {
        expect(text).not.toContain(secret);
      }
      expect(text).not.toContain(CREDENTIALS.accessKey);
    }
  });

  it("redacts credentials a misbehaving server echoes back in its error", async () => {
    // Prepare: a server that quotes the Authorization header, decoded and not, in its error and its stack.
    const echo = new ViostreamClient({
      baseUrl,
      credentials: CREDENTIALS,
      fetch: async (_url, init) => {
        const header = new Headers(init.headers).get("authorization") ?? "";
        const decoded = Buffer.from(header.replace("Basic ", ""), "base64").toString("utf8");
        return Response.json({ message: `bad request from ${header} (${decoded})` }, { status: 400 });
      },
    });
    // Act
    const error = await captured(() => echo.accountInfo());
    // Assess
    expect(error).toBeInstanceOf(ProviderRejectedError);
    const text = `${(error as Error).message}\n${(error as Error).stack}`;
    expect(text).toContain("[redacted]");
    expect(text).not.toContain(basicToken(CREDENTIALS));
    expect(text).not.toContain(CREDENTIALS.apiKey);
    expect(text).not.toContain(CREDENTIALS.accessKey);
  });
});

describe("ViostreamClient configuration and wire format", () => {
  it.each([
    { accessKey: "AB-123", label: "a key without the VC- prefix" },
    { accessKey: "VC-ab cd", label: "a key with a space" },
    { accessKey: "vc-abcd", label: "a lower-case prefix" },
    { accessKey: "VC-ab:cd", label: "a key with a colon, which Basic auth cannot carry" },
  ])("refuses $label as accessKey without echoing either key", ({ accessKey }) => {
    // Prepare
    const credentials = { accessKey, apiKey: "vio-SECRET-api-key-4242" };
    // Act
    const error = (() => {
      try {
        new ViostreamClient({ baseUrl: "https://api.app.viostream.com/v3/api", credentials });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe("accessKey");
    expect((error as Error).message).toContain('"VC-"');
    expect((error as Error).message).not.toContain(accessKey);
    expect((error as Error).message).not.toContain("vio-SECRET-api-key-4242");
  });

  it("refuses a missing API key and a baseUrl that is not a URL", () => {
    // Prepare
    const noKey = {
      baseUrl: "https://api.app.viostream.com/v3/api",
      credentials: { ...CREDENTIALS, apiKey: " " },
    };
    const noUrl = { baseUrl: "api.app.viostream.com", credentials: CREDENTIALS };
    // Act
    const build = (options: ConstructorParameters<typeof ViostreamClient>[0]) => () =>
      new ViostreamClient(options);
    // Assess
    expect(build(noKey)).toThrow(/apiKey: is missing/);
    expect(build(noUrl)).toThrow(/baseUrl: is not a URL/);
  });

  it("sends Basic credentials, escapes the ingest id, and asks for the media by referenceId with PageSize 100", async () => {
    // Prepare
    const seen: { url: string; headers: Headers }[] = [];
    const statusClient = answering({ status: "Processing" }, 200, seen);
    const listClient = answering({ listResult: { items: [] } }, 200, seen);
    // Act
    await statusClient.getIngestStatus("a/b c");
    await listClient.findMediaByReferenceId("mv q1&2025");
    // Assess
    expect(seen[0]?.url).toBe("https://api.app.viostream.com/v3/api/media/new/status/a%2Fb%20c");
    expect(seen[0]?.headers.get("authorization")).toBe(`Basic ${basicToken(CREDENTIALS)}`);
    const list = new URL(seen[1]?.url ?? "");
    expect(list.pathname).toBe("/v3/api/media");
    expect(list.searchParams.get("referenceId")).toBe("mv q1&2025");
    expect(list.searchParams.get("PageSize")).toBe("100");
  });

  it("keeps only exact referenceId matches and prefers an Online one among duplicates", async () => {
    // Prepare: a server that ignores the filter and lists a duplicate that failed before one that worked.
    const client = answering({
      listResult: {
        items: [
          media({ id: "other", key: "k0", referenceId: "ref-10" }),
          media({ id: "failed", key: "k1", status: "Failed" }),
          media({ id: "online", key: "k2", status: "Online" }),
        ],
        totalItems: 3,
      },
    });
    // Act
    const found = await client.findMediaByReferenceId("ref-1");
    const none = await client.findMediaByReferenceId("ref-2");
    // Assess
    expect(found?.id).toBe("online");
    expect(none).toBeUndefined();
  });

  it("reads a null items list as no media", async () => {
    // Prepare
    const client = answering({ listResult: { items: null, totalItems: 0 } });
    // Act
    const found = await client.findMediaByReferenceId("ref-1");
    // Assess
    expect(found).toBeUndefined();
  });

  it.each([
    { label: "an unknown ingest status", body: { status: "Queued" }, names: "status" },
    { label: "an ingest status without status", body: { error: "x" }, names: "status" },
  ])("turns $label into a retryable error naming the field", async ({ body, names }) => {
    // Prepare
    const client = answering(body);
    // Act
    const error = await captured(() => client.getIngestStatus("i1"));
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toContain(`${names}:`);
  });

  it.each([
    {
      label: "the sample code's nested items",
      body: { listResult: { items: { items: [] } } },
      names: "listResult.items",
    },
    { label: "no listResult", body: { items: [] }, names: "listResult" },
    {
      label: "a media without its key",
      body: { listResult: { items: [{ id: "m", status: "Online" }] } },
      names: "key",
    },
  ])("turns a media list with $label into a retryable error", async ({ body, names }) => {
    // Prepare
    const client = answering(body);
    // Act
    const error = await captured(() => client.findMediaByReferenceId("ref-1"));
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toContain(names);
  });

  it("returns no ingest error text unless Viostream gives one, and reads an error object's message", async () => {
    // Prepare
    const plain = answering({ status: "Failed", error: null });
    const object = answering({ status: "Failed", error: { message: "Source download timed out" } });
    // Act
    const first = await plain.getIngestStatus("i1");
    const second = await object.getIngestStatus("i2");
    // Assess
    expect(first).toEqual({ status: "Failed" });
    expect(second).toEqual({ status: "Failed", error: "Source download timed out" });
  });
});

describe("parseDuration", () => {
  it.each([
    ["00:01:05", 65],
    ["01:02:03.5", 3723.5],
    ["00:00:00", 0],
    ["00:00:04.040", 4.04],
    ["123:00:01", 442_801],
    ["1.02:03:04", 93_784],
  ])("reads %s as %d seconds", (text, seconds) => {
    // Prepare: the text. Act
    const parsed = parseDuration(text);
    // Assess
    expect(parsed).toBeCloseTo(seconds, 9);
  });

  it.each([
    "",
    "65",
    "1:05",
    "00:60:00",
    "00:00:60",
    "-00:00:01",
    " 00:00:01",
    "00:00:01.",
    "00:1:05",
    "PT1M5S",
  ])("refuses %j with a ProviderProtocolError that quotes it", (text) => {
    // Prepare: the text. Act
    const error = (() => {
      try {
        parseDuration(text);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    // Assess
    expect(error).toBeInstanceOf(ProviderProtocolError);
    expect((error as Error).message).toContain(JSON.stringify(text));
    expect((error as Error).message).toContain("HH:MM:SS");
  });
});

describe("embedFor", () => {
  it("builds the player URL and the guide's responsive iframe", () => {
    // Prepare
    const media = { key: "abc123def456" };
    // Act
    const embed = embedFor(media);
    // Assess
    expect(embed.embedUrl).toBe("https://play.viostream.com/iframe/abc123def456");
    expect(embed.iframe.startsWith('<div style="padding-bottom:56.25%;')).toBe(true);
    expect(embed.iframe).toContain(`src="https://play.viostream.com/iframe/abc123def456"`);
    expect(embed.iframe).toContain('referrerpolicy="strict-origin-when-cross-origin"');
    expect(embed.iframe).toContain('frameBorder="0"');
    expect(embed.iframe).toContain('style="position:absolute; top: 0; left: 0"');
    expect(embed.iframe.trim().endsWith("</iframe>\n</div>")).toBe(true);
  });

  it("escapes a key so it cannot leave the player path or the src attribute", () => {
    // Prepare
    const media = { key: '../x"><script>' };
    // Act
    const embed = embedFor(media);
    // Assess
    expect(embed.embedUrl.startsWith(VIOSTREAM_PLAYER_BASE_URL)).toBe(true);
    expect(embed.embedUrl).not.toContain("/../");
    expect(embed.iframe).not.toContain("<script>");
    expect(embed.iframe).not.toContain('x">');
  });

  it("refuses an empty key, naming it", () => {
    // Prepare
    const media = { key: "" };
    // Act
    const build = () => embedFor(media);
    // Assess
    expect(build).toThrow(InvalidInputError);
    expect(build).toThrow(/key: must not be empty/);
  });
});

describe("describeViostreamError", () => {
  it.each([
    { body: { message: "Invalid source" }, expected: { message: "Invalid source" } },
    { body: { Message: "Access denied" }, expected: { message: "Access denied" } },
    { body: { error: "Unauthorized" }, expected: { message: "Unauthorized" } },
    {
      body: { error: { message: "Bad extension", field: "extension" } },
      expected: { message: "Bad extension", field: "extension" },
    },
    {
      body: { errors: [{ field: "sourceUrl", message: "is required" }, "filename is required"] },
      expected: { message: "sourceUrl: is required; filename is required", field: "sourceUrl" },
    },
    {
      body: { title: "Not Found", status: 404, detail: "Ingest x was not found" },
      expected: { message: "Not Found: Ingest x was not found" },
    },
    {
      body: {
        title: "One or more validation errors occurred.",
        status: 400,
        errors: { "$.extension": ["The extension field is invalid."], filename: ["Required."] },
      },
      expected: {
        message:
          "One or more validation errors occurred. extension: The extension field is invalid.; filename: Required.",
        field: "extension",
      },
    },
    { body: "Service down for maintenance", expected: { message: "Service down for maintenance" } },
  ])("reads $body", ({ body, expected }) => {
    // Prepare: the body. Act
    const described = describeViostreamError(400, body);
    // Assess
    expect(described).toEqual(expected);
  });

  it("says nothing when the body carries no message", () => {
    // Prepare
    const bodies = [undefined, null, {}, { errors: [] }, { errors: {} }, "  ", [1]];
    // Act
    const described = bodies.map((body) => describeViostreamError(500, body));
    // Assess
    expect(described).toEqual(bodies.map(() => undefined));
  });

  it("lets a plain-text error body through the client as the message", async () => {
    // Prepare
    const client = answering("Bad Gateway from upstream", 502);
    // Act
    const error = await captured(() => client.accountInfo());
    // Assess
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as Error).message).toContain("Bad Gateway from upstream");
  });
});
