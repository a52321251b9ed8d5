import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { allowLocalOrigins } from "../../functions/pipeline/outbound/localOrigins";
import { MAX_REDIRECTS, outboundFetch } from "../../functions/pipeline/outbound/outboundFetch";
import { type OutboundNetwork, systemNetwork } from "../../functions/pipeline/outbound/outboundNetwork";
import { UnreachableSourceError } from "../../functions/pipeline/outbound/UnreachableSourceError";
import { sourceReader } from "../../functions/pipeline/sourceReader";
import { urlSource } from "../../functions/pipeline/urlSource";
import { InvalidInputError } from "../../functions/providers/core/InvalidInputError";

const VIDEO = new Uint8Array(Array.from({ length: 1000 }, (_, i) => i % 251));
/** A name under `.invalid` (RFC 6761): if anything asked real DNS for it, the request would fail. */
const NAME = "videos.vidstep.invalid";

/** A partner's media server on loopback: ranged reads, redirects (to itself and elsewhere), a 404. */
function startMediaServer(seen: { host: string; path: string }[]): Server {
  return createServer((request, response) => {
    const path = request.url ?? "/";
    seen.push({ host: request.headers.host ?? "", path });
    const hops = /^\/hops\/(\d+)$/.exec(path);
    const redirects: Record<string, string> = {
      "/to-metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
      "/to-private": "http://10.0.0.1/admin",
      "/to-private-name": "http://intranet.vidstep.invalid/",
      "/to-localhost": "http://localhost:9001/2018-06-01/runtime/invocation/next",
    };
    const location = hops && Number(hops[1]) > 0 ? `/hops/${Number(hops[1]) - 1}` : redirects[path];
    if (location !== undefined) {
      response.writeHead(302, { location }).end();
    } else if (path === "/video.mp4" || path === "/hops/0") {
      const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? "");
      if (!range) {
        response.writeHead(200, { "content-length": VIDEO.byteLength }).end(VIDEO);
        return;
      }
      const [start, end] = [Number(range[1]), Math.min(Number(range[2]), VIDEO.byteLength - 1)];
      response
        .writeHead(206, { "content-range": `bytes ${start}-${end}/${VIDEO.byteLength}` })
        .end(VIDEO.subarray(start, end + 1));
    } else if (path === "/no-ranges.mp4") {
      response.writeHead(200, { "content-length": VIDEO.byteLength }).end(VIDEO);
    } else {
      response.writeHead(404, { "content-type": "text/plain" }).end(`no ${path} here`);
    }
  });
}

async function listen(server: Server): Promise<number> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

/** The system's sockets, with names answered from a table and every lookup and connection recorded. */
function recordingNetwork(answers: Record<string, string[]>) {
  const lookups: string[] = [];
  const connections: { address: string; url: string }[] = [];
  const network: OutboundNetwork = {
    async resolve(hostname) {
      lookups.push(hostname);
      const addresses = answers[hostname];
      if (addresses === undefined) throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
      return addresses.map((address) => ({ address, family: 4 }));
    },
    get(url, address, init) {
      connections.push({ address: address.address, url: url.href });
      if (address.address !== "127.0.0.1") throw new Error(`a test must not connect to ${address.address}`);
      return systemNetwork.get(url, address, init);
    },
  };
  return { network, lookups, connections };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: Error) => error,
  );
}

describe("outboundFetch against loopback servers", () => {
  const seen: { host: string; path: string }[] = [];
  const media = startMediaServer(seen);
  const other = startMediaServer(seen);
  let base = "";
  let port = 0;
  let otherPort = 0;
  let closedPort = 0;
  let forget: () => void = () => undefined;

  beforeAll(async () => {
    port = await listen(media);
    otherPort = await listen(other);
    const closed = createServer();
    closedPort = await listen(closed);
    closed.close();
    base = `http://127.0.0.1:${port}`;
    // What the local runtime does for its own servers; `other` stays off the list.
    forget = allowLocalOrigins([`127.0.0.1:${port}`, `127.0.0.1:${closedPort}`]);
  });
  afterAll(async () => {
    forget();
    await Promise.all([media, other].map((server) => new Promise((done) => server.close(done))));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it.each([
    ["/to-metadata", "169.254.169.254", "link-local"],
    ["/to-private", "10.0.0.1", "RFC 1918"],
    ["/to-localhost", "localhost", "local machine"],
  ])("refuses a 302 from %s before connecting to %s", async (path, target, mentions) => {
    // Prepare
    const { network, connections } = recordingNetwork({});

    // Act
    const error = await failureOf(outboundFetch(`${base}${path}`, { field: "sources.0.url" }, network));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    const [problem] = (error as InvalidInputError).problems;
    expect(problem).toMatchObject({ field: "sources.0.url", value: `${base}${path}` });
    expect(problem?.problem).toContain(`redirects to http://${target}`);
    expect(problem?.problem).toContain(mentions);
    expect(connections).toEqual([{ address: "127.0.0.1", url: `${base}${path}` }]);
  });

  it("refuses a 302 to a name that resolves to a private address, connecting only to the first host", async () => {
    // Prepare
    const { network, connections, lookups } = recordingNetwork({ "intranet.vidstep.invalid": ["10.0.0.1"] });

    // Act
    const error = await failureOf(
      outboundFetch(`${base}/to-private-name`, { field: "sources.2.url" }, network),
    );

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe("sources.2.url");
    expect(error.message).not.toContain("10.0.0.1");
    expect(lookups).toEqual(["intranet.vidstep.invalid"]);
    expect(connections.map((connection) => connection.address)).toEqual(["127.0.0.1"]);
  });

  it("refuses a name resolving to loopback on a port the local runtime did not allow, connecting nowhere", async () => {
    // Prepare
    const { network, connections } = recordingNetwork({ [NAME]: ["127.0.0.1"] });

    // Act
    const error = await failureOf(outboundFetch(`http://${NAME}:${otherPort}/video.mp4`, {}, network));

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(connections).toEqual([]);
    expect(seen).toEqual([]);
  });

  it("connects to the checked address of an allowed port, presenting the name, resolving it once", async () => {
    // Prepare: a second answer would be a private address (DNS rebinding); it must never be asked for.
    const { network, connections, lookups } = recordingNetwork({ [NAME]: ["127.0.0.1"] });
    const rebinding: OutboundNetwork = {
      ...network,
      resolve: async (hostname) =>
        lookups.length === 0 ? network.resolve(hostname) : [{ address: "10.0.0.1", family: 4 }],
    };

    // Act
    const response = await outboundFetch(`http://${NAME}:${port}/video.mp4`, {}, rebinding);
    const body = new Uint8Array(await response.arrayBuffer());

    // Assess
    expect(response.status).toBe(200);
    expect(body).toEqual(VIDEO);
    expect(lookups).toEqual([NAME]);
    expect(connections.map((connection) => connection.address)).toEqual(["127.0.0.1"]);
    expect(seen).toEqual([{ host: `${NAME}:${port}`, path: "/video.mp4" }]);
  });

  it(`follows ${MAX_REDIRECTS} redirects and stops at the next one`, async () => {
    // Prepare
    const { network, connections } = recordingNetwork({});

    // Act
    const followed = await outboundFetch(`${base}/hops/${MAX_REDIRECTS}`, {}, network);
    await followed.body?.cancel();
    const followedConnections = connections.length;
    const stopped = await failureOf(
      outboundFetch(`${base}/hops/${MAX_REDIRECTS + 1}`, { field: "source.url" }, network),
    );

    // Assess
    expect(followed.status).toBe(200);
    expect(followedConnections).toBe(MAX_REDIRECTS + 1);
    expect(stopped).toBeInstanceOf(UnreachableSourceError);
    expect(stopped.message).toBe("source.url could not be read from http://127.0.0.1/");
    expect(connections.length - followedConnections).toBe(MAX_REDIRECTS + 1);
  });

  it("tells a closed port, a 404 and a server without ranged reads apart in no way", async () => {
    // Act
    const failures = await Promise.all(
      [`http://127.0.0.1:${closedPort}/video.mp4`, `${base}/missing.mp4`, `${base}/no-ranges.mp4`].map(
        (url) => failureOf(urlSource(url, "sources.0.url")),
      ),
    );

    // Assess
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(UnreachableSourceError);
      expect(failure.message).toBe("sources.0.url could not be read from http://127.0.0.1/");
    }
  });

  it("reads an allowed URL by range and as a stream through the policy", async () => {
    // Prepare
    const reader = sourceReader({} as S3Client);

    // Act
    const source = await urlSource(`${base}/video.mp4`, "sources.0.url");
    const middle = await source.read(100, 199);
    const stream = await reader.stream({ url: `${base}/video.mp4` }, "sources.0.url");
    const streamed = new Uint8Array(await new Response(stream.body).arrayBuffer());

    // Assess
    expect(source.size).toBe(VIDEO.byteLength);
    expect(middle).toEqual(VIDEO.subarray(100, 200));
    expect(stream.size).toBe(VIDEO.byteLength);
    expect(streamed).toEqual(VIDEO);
  });

  it("refuses a user's loopback URL at a port nobody allowed, through the readers too", async () => {
    // Act
    const error = await failureOf(
      sourceReader({} as S3Client).byteSource(
        { url: `http://127.0.0.1:${otherPort}/video.mp4` },
        "sources.1.url",
      ),
    );

    // Assess
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe("sources.1.url");
    expect(seen).toEqual([]);
  });
});
