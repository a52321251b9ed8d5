import { afterEach, describe, expect, it } from "vitest";
import { parseJobSpec } from "../../../functions/pipeline/jobSpec";
import { allowLocalOrigins } from "../../../functions/pipeline/outbound/localOrigins";
import type { OutboundNetwork, ResolvedAddress } from "../../../functions/pipeline/outbound/outboundNetwork";
import { outboundUrlProblem } from "../../../functions/pipeline/outbound/outboundUrlProblem";
import { UnreachableSourceError } from "../../../functions/pipeline/outbound/UnreachableSourceError";
import { vetOutboundUrl } from "../../../functions/pipeline/outbound/vetOutboundUrl";
import { InvalidInputError } from "../../../functions/providers/core/InvalidInputError";

/** Every spelling of a place a user's URL must not reach, and what the refusal should mention. */
const REFUSED: [url: string, mentions: string][] = [
  ["http://169.254.169.254/latest/meta-data/", "link-local"],
  ["http://2852039166/latest/meta-data/", "169.254.169.254"],
  ["http://0xa9fea9fe/", "169.254.169.254"],
  ["http://0251.0376.0251.0376/", "169.254.169.254"],
  ["http://0xa9.0xfe.0xa9.0xfe/", "169.254.169.254"],
  ["http://169.254.43518/", "169.254.169.254"],
  ["http://[::ffff:169.254.169.254]/", "169.254.169.254"],
  ["http://[::ffff:a9fe:a9fe]/", "169.254.169.254"],
  ["http://[0:0:0:0:0:ffff:169.254.169.254]/", "169.254.169.254"],
  ["http://[::169.254.169.254]/", "IPv4-compatible"],
  ["http://[fd00:ec2::254]/latest/meta-data/", "unique local"],
  ["http://169.254.170.2/v2/credentials/", "link-local"],
  ["http://[fe80::1]/", "link-local"],
  ["http://10.0.0.1/", "RFC 1918"],
  ["http://10.255.255.254:8080/admin", "RFC 1918"],
  ["http://172.16.0.1/", "RFC 1918"],
  ["http://172.31.255.254/", "RFC 1918"],
  ["http://192.168.1.1/", "RFC 1918"],
  ["http://[::ffff:10.0.0.1]/", "RFC 1918"],
  ["http://100.64.0.1/", "carrier-grade NAT"],
  ["http://127.0.0.1/", "loopback"],
  ["http://127.1/", "loopback"],
  ["http://127.0.0.53/", "loopback"],
  ["http://127.255.255.254/", "loopback"],
  ["http://2130706433/", "127.0.0.1"],
  ["http://0x7f000001/", "127.0.0.1"],
  ["http://017700000001/", "127.0.0.1"],
  ["http://%31%32%37.0.0.1/", "127.0.0.1"],
  ["http://127\u30020\u30020\u30021/", "127.0.0.1"],
  ["http://127.0.0.1:9001/2018-06-01/runtime/invocation/next", "loopback"],
  ["http://[::ffff:127.0.0.1]:9001/", "loopback"],
  ["http://0.0.0.0/", "unspecified"],
  ["http://0/", "unspecified"],
  ["http://0.1.2.3/", "unspecified"],
  ["http://[::]/", "unspecified"],
  ["http://[::1]/", "loopback"],
  ["http://[0:0:0:0:0:0:0:1]:9001/", "loopback"],
  ["http://224.0.0.1/", "multicast"],
  ["http://[ff02::1]/", "multicast"],
  ["http://255.255.255.255/", "broadcast"],
  ["http://240.0.0.1/", "reserved"],
  ["http://[64:ff9b::a9fe:a9fe]/", "rfc6052"],
  ["http://localhost/", "local machine"],
  ["http://LOCALHOST./", "local machine"],
  ["http://localhost:9001/", "local machine"],
  ["http://api.localhost/", "local machine"],
  ["http://localhost.localdomain/", "local machine"],
  ["http://ip6-localhost/", "local machine"],
  ["http://metadata.google.internal/computeMetadata/v1/", "local machine"],
  ["http://printer.local/", "local machine"],
  ["http://metadata/", "single-label"],
  ["https://user:secret-password@cdn.example.com/a.mp4", "credentials"],
  ["https://user@cdn.example.com/a.mp4", "credentials"],
];

/** Public hosts: the offline check lets them through (names are checked again once resolved). */
const PUBLIC = [
  "https://93.184.216.34/a.mp4",
  "http://93.184.216.34:8080/a.mp4",
  "https://cdn.example.com/videos/a.mp4?signature=abc",
  "https://CDN.Example.com./a.mp4",
  "https://[2606:4700::1111]/a.mp4",
  "https://[::ffff:93.184.216.34]/a.mp4",
];

function refusalOf(input: unknown): InvalidInputError {
  try {
    parseJobSpec(input, () => "job");
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error("expected the job spec to be refused");
}

/** A network that answers names from a table and records every lookup; it never connects. */
function resolvingNetwork(answers: Record<string, string[]>) {
  const lookups: string[] = [];
  const network: OutboundNetwork = {
    async resolve(hostname) {
      lookups.push(hostname);
      const addresses = answers[hostname];
      if (addresses === undefined) throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
      return addresses.map(
        (address): ResolvedAddress => ({ address, family: address.includes(":") ? 6 : 4 }),
      );
    },
    get: () => Promise.reject(new Error("this test connects nowhere")),
  };
  return { network, lookups };
}

describe("the outbound-URL policy at submission (offline)", () => {
  it(`covers at least 32 forms`, () => {
    expect(REFUSED.length).toBeGreaterThanOrEqual(32);
  });

  it.each(REFUSED)("refuses %s, naming sources.0.url and the value", (url, mentions) => {
    // Act
    const error = refusalOf({ provider: "vidio", sources: [{ url }] });

    // Assess
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ field: "sources.0.url" });
    expect(error.problems[0]?.problem).toContain(mentions);
    expect(error.message).toContain("sources.0.url");
    expect(error.message).not.toContain("secret-password");
    expect(error.problems[0]?.value).toBe(url.replace("user:secret-password@", "").replace("user@", ""));
  });

  it.each(REFUSED)("refuses %s as vidori.posterUrl and as source.url", (url) => {
    // Act
    const poster = refusalOf({
      provider: "vidori",
      source: { url: "https://cdn.example.com/a.mp4" },
      vidori: { posterUrl: url },
    });
    const single = refusalOf({ provider: "videodev", source: { url } });

    // Assess
    expect(poster.field).toBe("vidori.posterUrl");
    expect(single.field).toBe("source.url");
  });

  it.each(PUBLIC)("lets %s through", (url) => {
    // Act
    const problem = outboundUrlProblem(url);
    const job = parseJobSpec({ provider: "vidio", sources: [{ url }] }, () => "job");

    // Assess
    expect(problem).toBeUndefined();
    expect(job.sources[0]?.url).toBe(url);
  });

  it("leaves a value that is no http(s) URL to the URL schema's own message", () => {
    // Act
    const notUrl = refusalOf({ provider: "vidio", sources: [{ url: "not a url" }] });
    const ftp = refusalOf({ provider: "vidio", sources: [{ url: "ftp://10.0.0.1/a.mp4" }] });

    // Assess
    expect(notUrl.problems).toEqual([
      { field: "sources.0.url", problem: "must be an http(s) URL", value: "not a url" },
    ]);
    expect(ftp.problems.map((problem) => problem.problem)).toEqual(["must be an http(s) URL"]);
  });
});

describe("local origins", () => {
  let forget: (() => void) | undefined;
  afterEach(() => forget?.());

  it("lets a loopback port through only while the local runtime allows it", () => {
    // Prepare
    const url = "http://127.0.0.1:45999/fixture.mp4";
    const before = outboundUrlProblem(url);

    // Act
    forget = allowLocalOrigins(["127.0.0.1:45999"]);
    const allowed = outboundUrlProblem(url);
    const otherPort = outboundUrlProblem("http://127.0.0.1:45998/fixture.mp4");
    const byName = outboundUrlProblem("http://localhost:45999/fixture.mp4");
    forget();
    const after = outboundUrlProblem(url);

    // Assess
    expect(before).toContain("loopback");
    expect(allowed).toBeUndefined();
    expect(otherPort).toContain("loopback");
    expect(byName).toContain("local machine");
    expect(after).toContain("loopback");
  });

  it.each(["10.0.0.1:80", "169.254.169.254:80", "127.0.0.1", "localhost:9000", "127.1:9000"])(
    "takes no %s: only loopback addresses with a port",
    (origin) => {
      // Act / Assess
      expect(() => allowLocalOrigins([origin])).toThrow(/loopback host:port/);
    },
  );
});

describe("vetOutboundUrl (after resolution)", () => {
  it.each([
    ["a name resolving to loopback", ["127.0.0.1"]],
    ["a name resolving to the metadata service", ["169.254.169.254"]],
    ["a name resolving to a mapped private address", ["::ffff:10.1.2.3"]],
    ["a name with one private address among public ones", ["93.184.216.34", "10.0.0.7"]],
    ["a name resolving to a unique local address", ["fd00:ec2::254"]],
  ])("refuses %s, without saying which address", async (_case, addresses) => {
    // Prepare
    const { network } = resolvingNetwork({ "media.partner.test": addresses });

    // Act
    const refused = await vetOutboundUrl("https://media.partner.test/a.mp4", "sources.3.url", {
      network,
    }).catch((error: unknown) => error);

    // Assess
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect((refused as InvalidInputError).problems[0]).toMatchObject({
      field: "sources.3.url",
      value: "https://media.partner.test/a.mp4",
    });
    expect((refused as Error).message).toContain("not public");
    for (const address of addresses) expect((refused as Error).message).not.toContain(address);
  });

  it("refuses a literal without resolving anything", async () => {
    // Prepare
    const { network, lookups } = resolvingNetwork({});

    // Act
    const refused = await vetOutboundUrl("http://2852039166/", "source.url", { network }).catch(
      (error) => error,
    );

    // Assess
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect(lookups).toEqual([]);
  });

  it("passes a name whose every address is public, and picks the address to connect to", async () => {
    // Prepare
    const { network } = resolvingNetwork({ "media.partner.test": ["93.184.216.34", "2606:4700::1111"] });

    // Act
    const vetted = await vetOutboundUrl("https://media.partner.test/a.mp4", "source.url", { network });

    // Assess
    expect(vetted.address).toEqual({ address: "93.184.216.34", family: 4 });
    expect(vetted.url.hostname).toBe("media.partner.test");
  });

  it("lets an allowed loopback port through after resolution too", async () => {
    // Prepare
    const { network } = resolvingNetwork({ "videos.vidstep.invalid": ["127.0.0.1"] });
    const forget = allowLocalOrigins(["127.0.0.1:45997"]);

    // Act
    const allowed = await vetOutboundUrl("http://videos.vidstep.invalid:45997/a.mp4", "source.url", {
      network,
    });
    const otherPort = await vetOutboundUrl("http://videos.vidstep.invalid:45996/a.mp4", "source.url", {
      network,
    }).catch((error) => error);
    forget();

    // Assess
    expect(allowed.address.address).toBe("127.0.0.1");
    expect(otherPort).toBeInstanceOf(InvalidInputError);
  });

  it("gives a name that does not resolve the one generic message", async () => {
    // Prepare
    const { network } = resolvingNetwork({});

    // Act
    const failed = await vetOutboundUrl(
      "https://nowhere.partner.test:8443/secret/path.mp4?sig=1",
      "sources.0.url",
      {
        network,
      },
    ).catch((error) => error);

    // Assess
    expect(failed).toBeInstanceOf(UnreachableSourceError);
    expect((failed as Error).message).toBe(
      "sources.0.url could not be read from https://nowhere.partner.test/",
    );
  });
});
