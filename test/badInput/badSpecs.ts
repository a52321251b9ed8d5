import { expect } from "vitest";
import type { FieldProblem } from "../../functions/providers/core/InvalidInputError";

/** Stands for the field that names a whole document: `body` in an HTTP request, `(root)` in a file or row. */
export const WHOLE = "(whole)";

/** One bad job spec: how to write it from a valid base spec, and the field and value its error must name. */
export interface BadSpec {
  name: string;
  body: (base: Spec) => string | Uint8Array;
  field: string;
  /** Text the problem's value must contain (as JSON); `null` when the field is missing, so has no value. */
  value: string | null;
  /** The case sets the source, sources or job id, which an upload decides itself. */
  setsSourceOrJobId?: boolean;
  /** A blank line is no row in a manifest, so this case has no meaning there. */
  blank?: boolean;
}

export type Spec = Record<string, unknown>;

const URL = "https://media.example.com/a.mp4";
const OTHER_URL = "https://media.example.com/b.mp4";
const encoder = new TextEncoder();
const json = (value: unknown) => JSON.stringify(value);
const withSpec = (changes: Spec) => (base: Spec) => json({ ...base, ...changes });
const withOptions = (provider: string, options: unknown) => (base: Spec) =>
  json({ ...base, provider, [provider]: options });
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === "string" ? [...encoder.encode(part)] : part)));
const sourceCase = (name: string, changes: Spec, field: string, value: string | null): BadSpec => ({
  name,
  body: (base) => {
    const { source: _source, sources: _sources, ...rest } = base;
    return json({ ...rest, ...changes });
  },
  field,
  value,
  setsSourceOrJobId: true,
});
const option = (provider: string, options: unknown, field: string, value: string | null): BadSpec => ({
  name: `${provider} ${json(options).slice(0, 60)}`,
  body: withOptions(provider, options),
  field: `${provider}${field === "" ? "" : `.${field}`}`,
  value,
});
const urls = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ url: `https://media.example.com/v${i}.mp4` }));

/** A valid job spec of each edge: `base` plus a URL source (validate, POST /jobs, manifest rows). */
export const VALID_SPEC: Spec = { provider: "vidio", source: { url: URL } };

/** Bad job specs, the same for every edge that reads one. */
export const BAD_SPECS: BadSpec[] = [
  // The document itself.
  { name: "empty", body: () => "", field: WHOLE, value: '""', blank: true },
  { name: "only spaces", body: () => "  \n ", field: WHOLE, value: "  ", blank: true },
  { name: "not JSON", body: () => "{", field: WHOLE, value: "{" },
  { name: "trailing comma", body: () => '{"provider":"vidio",}', field: WHOLE, value: "vidio" },
  { name: "single quotes", body: () => "{'provider':'vidio'}", field: WHOLE, value: "provider" },
  { name: "NaN", body: () => '{"provider":NaN}', field: WHOLE, value: "NaN" },
  { name: "an array", body: (base) => json([base]), field: WHOLE, value: "vidio" },
  { name: "an empty array", body: () => "[]", field: WHOLE, value: "[]" },
  { name: "a string", body: () => '"vidio"', field: WHOLE, value: "vidio" },
  { name: "a number", body: () => "42", field: WHOLE, value: "42" },
  { name: "null", body: () => "null", field: WHOLE, value: "null" },
  { name: "true", body: () => "true", field: WHOLE, value: "true" },
  {
    name: "nested 100 deep",
    body: () => `${"[".repeat(100)}${"]".repeat(100)}`,
    field: WHOLE,
    value: "levels",
  },
  // Bytes that are not UTF-8, and a byte order mark in the wrong place.
  {
    name: "Latin-1 é in the title",
    body: (base) => bytes(json({ ...base, title: "caf" }).slice(0, -2), [0xe9], '"}'),
    field: WHOLE,
    value: "0xE9",
  },
  { name: "a stray 0xFF", body: (base) => bytes([0xff], json(base)), field: WHOLE, value: "0xFF" },
  {
    name: "UTF-16 with its BOM",
    body: (base) => Uint8Array.from([0xff, 0xfe, ...[...json(base)].flatMap((c) => [c.charCodeAt(0), 0])]),
    field: WHOLE,
    value: "0xFF",
  },
  {
    name: "a character cut short",
    body: (base) => bytes(json({ ...base, title: "x" }).slice(0, -3), [0xe2, 0x82], '"}'),
    field: WHOLE,
    value: "0xE2",
  },
  {
    name: "an overlong encoding of /",
    body: (base) => bytes(json(base).slice(0, -1), [0xc0, 0xaf], "}"),
    field: WHOLE,
    value: "0xC0",
  },
  {
    name: "an encoded surrogate",
    body: (base) => bytes(json(base).slice(0, -1), [0xed, 0xa0, 0x80], "}"),
    field: WHOLE,
    value: "0xED",
  },
  // Keys that repeat or reach a prototype.
  {
    name: "provider twice",
    body: (base) => `{"provider":"apivideo",${json(base).slice(1)}`,
    field: "provider",
    value: '["apivideo","vidio"]',
  },
  {
    name: "an option twice",
    body: (base) => `${json(base).slice(0, -1)},"vidio":{"aspectRatio":"square","aspectRatio":"portrait"}}`,
    field: "vidio.aspectRatio",
    value: '["square","portrait"]',
  },
  {
    name: "a source url twice",
    body: () => `{"provider":"vidio","sources":[{"url":"${URL}","url":"${OTHER_URL}"}]}`,
    field: "sources.0.url",
    value: OTHER_URL,
    setsSourceOrJobId: true,
  },
  {
    name: "title twice",
    body: (base) => `{"title":"a","title":"b",${json(base).slice(1)}`,
    field: "title",
    value: '["a","b"]',
  },
  {
    name: "__proto__",
    body: (base) => `{"__proto__":{"jobId":"x"},${json(base).slice(1)}`,
    field: "__proto__",
    value: "jobId",
  },
  {
    name: "constructor",
    body: (base) => `{"constructor":{"prototype":1},${json(base).slice(1)}`,
    field: "constructor",
    value: "prototype",
  },
  {
    name: "prototype in options",
    body: withOptions("vidio", { prototype: "landscape" }),
    field: "vidio.prototype",
    value: "landscape",
  },
  {
    name: "__proto__ in a source",
    body: () => `{"provider":"vidio","source":{"url":"${URL}","__proto__":{"a":1}}}`,
    field: "source.__proto__",
    value: '{"a":1}',
    setsSourceOrJobId: true,
  },
  // Provider.
  { name: "provider a number", body: withSpec({ provider: 42 }), field: "provider", value: "42" },
  { name: "provider unknown", body: withSpec({ provider: "youtube" }), field: "provider", value: "youtube" },
  { name: "provider in capitals", body: withSpec({ provider: "VIDIO" }), field: "provider", value: "VIDIO" },
  { name: "provider null", body: withSpec({ provider: null }), field: "provider", value: "null" },
  { name: "provider a list", body: withSpec({ provider: ["vidio"] }), field: "provider", value: '["vidio"]' },
  { name: "provider empty", body: withSpec({ provider: "" }), field: "provider", value: '""' },
  // Unknown keys.
  { name: "an unknown key", body: withSpec({ colour: "red" }), field: "colour", value: "red" },
  { name: "a key in the wrong case", body: withSpec({ Title: "x" }), field: "Title", value: "x" },
  {
    name: "another provider's options",
    body: withSpec({ videodev: { clip: {} } }),
    field: "videodev",
    value: "clip",
  },
  // Title.
  { name: "title a number", body: withSpec({ title: 5 }), field: "title", value: "5" },
  { name: "title empty", body: withSpec({ title: "" }), field: "title", value: '""' },
  { name: "title blank", body: withSpec({ title: "   " }), field: "title", value: "   " },
  { name: "title too long", body: withSpec({ title: "t".repeat(300) }), field: "title", value: "tttt" },
  {
    name: "title a megabyte",
    body: withSpec({ title: "m".repeat(1024 * 1024) }),
    field: "title",
    value: "mmmm",
  },
  { name: "title an object", body: withSpec({ title: { text: "x" } }), field: "title", value: "text" },
  // Job id.
  {
    name: "jobId with a space",
    body: withSpec({ jobId: "my job" }),
    field: "jobId",
    value: "my job",
    setsSourceOrJobId: true,
  },
  {
    name: "jobId with a slash",
    body: withSpec({ jobId: "a/b" }),
    field: "jobId",
    value: "a/b",
    setsSourceOrJobId: true,
  },
  {
    name: "jobId too long",
    body: withSpec({ jobId: "j".repeat(81) }),
    field: "jobId",
    value: "jjjj",
    setsSourceOrJobId: true,
  },
  {
    name: "jobId a number",
    body: withSpec({ jobId: 12 }),
    field: "jobId",
    value: "12",
    setsSourceOrJobId: true,
  },
  {
    name: "jobId empty",
    body: withSpec({ jobId: "" }),
    field: "jobId",
    value: '""',
    setsSourceOrJobId: true,
  },
  {
    name: "jobId not ASCII",
    body: withSpec({ jobId: "ünï" }),
    field: "jobId",
    value: "ünï",
    setsSourceOrJobId: true,
  },
  // Sources.
  sourceCase("source a string", { source: URL }, "source", "media.example.com"),
  sourceCase("source a list", { source: [{ url: URL }] }, "source", "media.example.com"),
  sourceCase("source ftp", { source: { url: "ftp://media.example.com/a.mp4" } }, "source.url", "ftp://"),
  sourceCase("source not a URL", { source: { url: "not a url" } }, "source.url", "not a url"),
  sourceCase("source url a number", { source: { url: 5 } }, "source.url", "5"),
  // Outbound-URL policy: addresses no job may send us or a provider to, in any spelling.
  sourceCase(
    "source metadata service",
    { source: { url: "http://169.254.169.254/latest/meta-data/" } },
    "source.url",
    "169.254.169.254",
  ),
  sourceCase(
    "source metadata as decimal",
    { source: { url: "http://2852039166/" } },
    "source.url",
    "2852039166",
  ),
  sourceCase("source metadata as hex", { source: { url: "http://0xa9fea9fe/" } }, "source.url", "0xa9fea9fe"),
  sourceCase(
    "source metadata as octal",
    { source: { url: "http://0251.0376.0251.0376/" } },
    "source.url",
    "0251.0376.0251.0376",
  ),
  sourceCase(
    "source metadata IPv4-mapped",
    { source: { url: "http://[::ffff:169.254.169.254]/" } },
    "source.url",
    "::ffff:",
  ),
  sourceCase(
    "source EC2 IPv6 metadata",
    { source: { url: "http://[fd00:ec2::254]/" } },
    "source.url",
    "fd00:ec2::254",
  ),
  sourceCase(
    "source ECS credentials",
    { source: { url: "http://169.254.170.2/v2/credentials" } },
    "source.url",
    "169.254.170.2",
  ),
  sourceCase("source RFC1918 10/8", { source: { url: "http://10.0.0.1/a.mp4" } }, "source.url", "10.0.0.1"),
  sourceCase(
    "source RFC1918 172.16/12",
    { source: { url: "http://172.16.5.4/a.mp4" } },
    "source.url",
    "172.16.5.4",
  ),
  sourceCase(
    "source RFC1918 192.168/16",
    { source: { url: "https://192.168.1.1/a.mp4" } },
    "source.url",
    "192.168.1.1",
  ),
  sourceCase("source loopback", { source: { url: "http://127.0.0.1/a.mp4" } }, "source.url", "127.0.0.1"),
  sourceCase("source loopback short form", { source: { url: "http://127.1/a.mp4" } }, "source.url", "127.1"),
  sourceCase(
    "source Lambda runtime API",
    { source: { url: "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next" } },
    "source.url",
    "127.0.0.1:9001",
  ),
  sourceCase("source this network", { source: { url: "http://0.0.0.0/a.mp4" } }, "source.url", "0.0.0.0"),
  sourceCase("source IPv6 loopback", { source: { url: "http://[::1]/a.mp4" } }, "source.url", "[::1]"),
  sourceCase("source localhost", { source: { url: "http://localhost/a.mp4" } }, "source.url", "localhost"),
  sourceCase("source CGNAT", { source: { url: "http://100.64.0.1/a.mp4" } }, "source.url", "100.64.0.1"),
  sourceCase(
    "source URL credentials",
    { source: { url: "https://user:secret@media.example.com/a.mp4" } },
    "source.url",
    "media.example.com",
  ),
  option("vidori", { posterUrl: "http://169.254.169.254/p.jpg" }, "posterUrl", "169.254.169.254"),
  sourceCase("source javascript:", { source: { url: "javascript:alert(1)" } }, "source.url", "javascript"),
  sourceCase(
    "source S3 and url",
    { source: { bucket: "my-bucket", key: "a.mp4", url: URL } },
    "source.url",
    "media.example.com",
  ),
  sourceCase("source bucket without key", { source: { bucket: "my-bucket" } }, "source.key", null),
  sourceCase("source key without bucket", { source: { key: "a.mp4" } }, "source.bucket", null),
  sourceCase("source bucket too short", { source: { bucket: "ab", key: "a.mp4" } }, "source.bucket", '"ab"'),
  sourceCase("source key empty", { source: { bucket: "my-bucket", key: "" } }, "source.key", '""'),
  sourceCase(
    "source unknown key",
    { source: { url: URL, region: "eu-west-1" } },
    "source.region",
    "eu-west-1",
  ),
  sourceCase("source title empty", { source: { url: URL, title: "" } }, "source.title", '""'),
  sourceCase(
    "source and sources",
    { source: { url: URL }, sources: [{ url: URL }] },
    "sources",
    "media.example.com",
  ),
  sourceCase("sources empty", { sources: [] }, "sources", "[]"),
  sourceCase("sources an object", { sources: { url: URL } }, "sources", "media.example.com"),
  sourceCase("sources of numbers", { sources: [1] }, "sources.0", "1"),
  sourceCase(
    "second source bad",
    { sources: [{ url: URL }, { url: "ftp://x/b.mp4" }] },
    "sources.1.url",
    "ftp://",
  ),
  sourceCase("two sources for video.dev", { provider: "videodev", sources: urls(2) }, "sources", "v1.mp4"),
  sourceCase("two sources for api.video", { provider: "apivideo", sources: urls(2) }, "sources", "v1.mp4"),
  sourceCase("two sources for Viostream", { provider: "viostream", sources: urls(2) }, "sources", "v1.mp4"),
  sourceCase("401 sources for VIDIO", { provider: "vidio", sources: urls(401) }, "sources", "(401 items)"),
  sourceCase("501 sources for Vidori", { provider: "vidori", sources: urls(501) }, "sources", "v0.mp4"),
  // api.video options.
  option("apivideo", { public: "yes" }, "public", "yes"),
  option("apivideo", { mp4Support: 1 }, "mp4Support", "1"),
  option("apivideo", { tags: "news" }, "tags", "news"),
  option("apivideo", { tags: [""] }, "tags.0", '""'),
  option("apivideo", { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, "tags", "(51 items)"),
  option("apivideo", { chunkSizeMiB: 4 }, "chunkSizeMiB", "4"),
  option("apivideo", { chunkSizeMiB: 129 }, "chunkSizeMiB", "129"),
  option("apivideo", { chunkSizeMiB: 5.5 }, "chunkSizeMiB", "5.5"),
  option("apivideo", { chunkSizeMiB: "50" }, "chunkSizeMiB", "50"),
  option("apivideo", { colour: "red" }, "colour", "red"),
  option("apivideo", [], "", "[]"),
  // video.dev options.
  option("videodev", { clip: { startMs: -1 } }, "clip.startMs", "-1"),
  option("videodev", { clip: { startMs: 1.5 } }, "clip.startMs", "1.5"),
  option("videodev", { clip: { endMs: 0 } }, "clip.endMs", "0"),
  option("videodev", { clip: { startMs: 500, endMs: 100 } }, "clip.endMs", "100"),
  option("videodev", { clip: { endMs: "3000" } }, "clip.endMs", "3000"),
  option("videodev", { clip: { lengthMs: 10 } }, "clip.lengthMs", "10"),
  option("videodev", { crop: { aspectRatio: "2:1" } }, "crop.aspectRatio", "2:1"),
  option("videodev", { crop: { aspectRatio: "9x16" } }, "crop.aspectRatio", "9x16"),
  option("videodev", { crop: { aspectRatio: "9:16", enabled: "true" } }, "crop.enabled", "true"),
  option("videodev", { crop: { aspectRatio: "9:16", smartCrop: 1 } }, "crop.smartCrop", "1"),
  option("videodev", { crop: "9:16" }, "crop", "9:16"),
  // VIDIO options.
  option("vidio", { videoCategory: "cats" }, "videoCategory", "cats"),
  option("vidio", { videoCategory: 3 }, "videoCategory", "3"),
  option("vidio", { aspectRatio: "wide" }, "aspectRatio", "wide"),
  option("vidio", { aspectRatio: "16:9" }, "aspectRatio", "16:9"),
  option("vidio", { outputLengthSeconds: 0 }, "outputLengthSeconds", "0"),
  option("vidio", { outputLengthSeconds: -5 }, "outputLengthSeconds", "-5"),
  option("vidio", { outputLengthSeconds: 2.5 }, "outputLengthSeconds", "2.5"),
  option("vidio", { outputLengthSeconds: "30" }, "outputLengthSeconds", "30"),
  option("vidio", { outputLengthSeconds: 2 ** 53 }, "outputLengthSeconds", "9007199254740992"),
  // Vidori options.
  option("vidori", { type: "SHORT" }, "type", "SHORT"),
  option("vidori", { type: "movie" }, "type", "movie"),
  option("vidori", { description: "d".repeat(5001) }, "description", "dddd"),
  option("vidori", { genres: "Drama" }, "genres", "Drama"),
  option("vidori", { genres: [""] }, "genres.0", '""'),
  option("vidori", { tags: [1] }, "tags.0", "1"),
  option("vidori", { productionYear: 1800 }, "productionYear", "1800"),
  option("vidori", { productionYear: 2200 }, "productionYear", "2200"),
  option("vidori", { productionYear: 1999.5 }, "productionYear", "1999.5"),
  option("vidori", { posterUrl: "ftp://media.example.com/p.jpg" }, "posterUrl", "ftp://"),
  option("vidori", { posterUrl: "poster.jpg" }, "posterUrl", "poster.jpg"),
  option("vidori", { contentGroups: [null] }, "contentGroups.0", "null"),
  option("vidori", { linkManifests: "yes" }, "linkManifests", "yes"),
  // Viostream options.
  option("viostream", { filename: "" }, "filename", '""'),
  option("viostream", { filename: "f".repeat(300) }, "filename", "ffff"),
  option("viostream", { filename: 5 }, "filename", "5"),
  option("viostream", { folder: "x" }, "folder", "x"),
];

/** Specs every edge accepts: a byte order mark is no error. */
export const GOOD_SPECS: { name: string; body: (base: Spec) => string | Uint8Array }[] = [
  { name: "UTF-8 with a byte order mark", body: (base) => bytes([0xef, 0xbb, 0xbf], json(base)) },
  { name: "non-ASCII title", body: (base) => bytes(json({ ...base, title: "café — 東京 🎬" })) },
];

/**
 * Asserts that `problems` has one for `field` whose value shows `value`, the way a person fixing the input
 * needs it: where it is and what was given. `whole` is what this edge calls the whole document.
 */
export function expectNamed(
  problems: FieldProblem[] | undefined,
  bad: Pick<BadSpec, "field" | "value">,
  whole: string,
) {
  const field = bad.field === WHOLE ? whole : bad.field;
  const problem = (problems ?? []).find((candidate) => candidate.field === field);
  expect(problem, `a problem naming ${field} among ${JSON.stringify(problems)?.slice(0, 500)}`).toBeDefined();
  if (bad.value === null) return;
  expect(JSON.stringify(problem?.value) ?? "", `the value of ${field}`).toContain(
    bad.value.replace(/^"(.*)"$/, '"$1"'),
  );
}
