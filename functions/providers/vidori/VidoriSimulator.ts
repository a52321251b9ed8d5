/**
 * A local Vidori: `POST /api/v1/import` served on 127.0.0.1, enforcing what Vidori's External API page
 * documents (the X-API-Key header, one of url / external_url, manifests for external_url, at most 50 assets,
 * the asset types) with FastAPI's 422 format, and answering per-asset results with partial success and
 * content-group warnings. README.md lists which behaviours are documented and which are assumed.
 *
 * Nothing is downloaded or transcoded: Vidori works asynchronously and documents no way to read an asset
 * back, so there is nothing a caller could observe beyond the import answer.
 */
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { SimulatedProvider } from "../core/simulator/SimulatedProvider";
import type { ProviderDialect, SimulatorRequest, SimulatorResponse } from "../core/simulator/SimulatorServer";
import { guard, SimulatorServer } from "../core/simulator/SimulatorServer";
import {
  ASSET_TYPES,
  type AssetType,
  type ImportAssetWire,
  importAssetWireSchema,
  isHttpUrl,
  MAX_ASSETS_PER_REQUEST,
  type ValidationIssue,
} from "./schemas";

/** The key the simulator accepts unless told otherwise (the shape of Vidori's documented example key). */
export const DEFAULT_SIMULATOR_API_KEY = "vid_sim0000000000000000000000000000";

/** The path prefix of Vidori's API; `start()` returns the base URL with it, like the real one. */
export const API_PREFIX = "/api/v1";

/** The import route as the fault switches and the request log name it. */
export const IMPORT_ROUTE = `POST ${API_PREFIX}/import`;

/** The content groups the simulator knows unless told otherwise. */
export const DEFAULT_CONTENT_GROUPS = ["Featured", "New Releases", "Kids", "Documentaries"] as const;

/** How the simulator behaves. */
export interface VidoriSimulatorOptions {
  /** The only `X-API-Key` accepted; default `vid_sim0000000000000000000000000000`. */
  apiKey?: string;
  /** The content groups that exist, matched case-insensitively; default DEFAULT_CONTENT_GROUPS. */
  contentGroups?: readonly string[];
  /** The batch limit enforced; default 50 (Vidori's), lower it to see how a client copes with a 422 on size. */
  maxAssetsPerRequest?: number;
}

/** One asset the simulator accepted, in our camelCase. */
export interface SimulatedAsset {
  assetId: string;
  jobId: string;
  /** The title given, or one taken from the source's file name, as Vidori may take it from the video. */
  title: string;
  url?: string;
  externalUrl?: string;
  type: AssetType;
  description?: string;
  genres: string[];
  tags: string[];
  productionYear?: number;
  posterUrl?: string;
  /** The content groups it joined, spelt as the groups are. */
  contentGroups: string[];
  warnings: string[];
}

interface UrlRejection {
  pattern: RegExp;
  error: string | ((url: string) => string);
}

interface FieldRejection {
  field: keyof ImportAssetWire;
  pattern: RegExp;
  message: string;
}

type AnswerResult =
  | { asset_id: string; job_id: string; status: "accepted"; warnings: string[] }
  | { status: "failed"; error: string };

/** A Vidori simulator over real HTTP: `start()` it and point a `VidoriClient` at the URL it returns. */
export class VidoriSimulator extends SimulatedProvider {
  readonly server: SimulatorServer;
  /** The one key the simulator accepts: hand it to the client under test. */
  readonly apiKey: string;
  private readonly groups: Map<string, string>;
  private readonly maxAssets: number;
  private readonly accepted: SimulatedAsset[] = [];
  private urlRejections: UrlRejection[] = [];
  private fieldRejections: FieldRejection[] = [];

  constructor(options: VidoriSimulatorOptions = {}) {
    super();
    this.apiKey = options.apiKey ?? DEFAULT_SIMULATOR_API_KEY;
    this.maxAssets = options.maxAssetsPerRequest ?? MAX_ASSETS_PER_REQUEST;
    this.groups = new Map(
      (options.contentGroups ?? DEFAULT_CONTENT_GROUPS).map((name) => [name.toLowerCase(), name]),
    );
    this.server = new SimulatorServer(
      "Vidori",
      // FastAPI resolves the key dependency before it validates the body: a bad key never sees a 422.
      {
        [IMPORT_ROUTE]: guard(
          (request) => request.headers["x-api-key"] === this.apiKey,
          () => ({ status: 401, body: { detail: "Invalid API key" } }),
        )((request) => this.import(request)),
      },
      vidoriDialect,
    );
  }

  /** Starts listening on 127.0.0.1 and returns the API's base URL (`http://127.0.0.1:port/api/v1`). */
  override async start(port = 0): Promise<string> {
    return `${await super.start(port)}${API_PREFIX}`;
  }

  /**
   * From now on, an asset whose url (or external_url) matches gets a `failed` result with this error, in an
   * otherwise successful answer: what Vidori does with a source it cannot use. A function of the URL makes
   * the error quote it, as some providers' errors do (a presigned URL with its signature, say).
   */
  rejectUrlsMatching(pattern: RegExp, error: string | ((url: string) => string)): void {
    this.urlRejections.push({ pattern: withoutState(pattern), error });
  }

  /**
   * From now on, a request with an asset whose wire `field` (e.g. `title`) matches is refused with a 422
   * naming that asset and field: Vidori's own validation may be stricter than what it documents.
   */
  rejectFieldMatching(field: keyof ImportAssetWire, pattern: RegExp, message: string): void {
    this.fieldRejections.push({ field, pattern: withoutState(pattern), message });
  }

  /** Forgets the rules set by rejectUrlsMatching and rejectFieldMatching (fault switches are separate). */
  clearRejections(): void {
    this.urlRejections = [];
    this.fieldRejections = [];
  }

  /** Every asset accepted so far, in order. */
  assets(): SimulatedAsset[] {
    return this.accepted.map((asset) => ({
      ...asset,
      genres: [...asset.genres],
      tags: [...asset.tags],
      contentGroups: [...asset.contentGroups],
      warnings: [...asset.warnings],
    }));
  }

  /** How many import requests arrived, whatever their answer (401, 422, injected faults included). */
  requests(): number {
    return this.server.count(IMPORT_ROUTE);
  }

  private import(request: SimulatorRequest): SimulatorResponse {
    const body = this.validate(request);
    if (!body.ok) return { status: 422, body: { detail: body.issues } };
    const results = body.assets.map((asset) => this.importOne(asset));
    const accepted = results.filter((result) => result.status === "accepted").length;
    return { status: 200, body: { results, accepted, failed: results.length - accepted } };
  }

  /** Vidori's request model, read the way FastAPI and pydantic read it: every issue at once, with its `loc`. */
  private validate(
    request: SimulatorRequest,
  ): { ok: true; assets: ImportAssetWire[] } | { ok: false; issues: ValidationIssue[] } {
    const json = request.json;
    if (json === undefined && request.rawBody.length > 0) {
      return { ok: false, issues: [{ loc: ["body", 0], msg: "JSON decode error", type: "json_invalid" }] };
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      return {
        ok: false,
        issues: [
          json === undefined
            ? { loc: ["body"], msg: "Field required", type: "missing" }
            : {
                loc: ["body"],
                msg: "Input should be a valid dictionary or object to extract fields from",
                type: "model_attributes_type",
              },
        ],
      };
    }
    const assets = (json as { assets?: unknown }).assets;
    if (assets === undefined || assets === null) {
      return { ok: false, issues: [{ loc: ["body", "assets"], msg: "Field required", type: "missing" }] };
    }
    if (!Array.isArray(assets)) {
      return {
        ok: false,
        issues: [{ loc: ["body", "assets"], msg: "Input should be a valid list", type: "list_type" }],
      };
    }
    if (assets.length > this.maxAssets) {
      const msg = `List should have at most ${this.maxAssets} items after validation, not ${assets.length}`;
      return { ok: false, issues: [{ loc: ["body", "assets"], msg, type: "too_long" }] };
    }
    const issues: ValidationIssue[] = [];
    const valid: ImportAssetWire[] = [];
    assets.forEach((raw: unknown, position) => {
      const loc = ["body", "assets", position];
      const parsed = importAssetWireSchema.safeParse(raw);
      if (!parsed.success) {
        issues.push(...parsed.error.issues.map((issue) => toFastApi(issue, loc, raw)));
        return;
      }
      for (const rule of this.fieldRejections) {
        const value = parsed.data[rule.field];
        const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
        if (values.some((item) => rule.pattern.test(String(item)))) {
          issues.push({ loc: [...loc, rule.field], msg: rule.message, type: "value_error" });
        }
      }
      valid.push(parsed.data);
    });
    return issues.length > 0 ? { ok: false, issues } : { ok: true, assets: valid };
  }

  private importOne(asset: ImportAssetWire): AnswerResult {
    const source = asset.url ?? asset.external_url ?? "";
    // The model types URLs as plain strings, so a malformed one passes validation and fails per asset.
    if (!isHttpUrl(source)) return { status: "failed", error: "Invalid URL format" };
    const rejection = this.urlRejections.find((rule) => rule.pattern.test(source));
    if (rejection) {
      const error = typeof rejection.error === "string" ? rejection.error : rejection.error(source);
      return { status: "failed", error };
    }
    const joined: string[] = [];
    const warnings: string[] = [];
    for (const name of asset.content_groups ?? []) {
      const group = this.groups.get(name.trim().toLowerCase());
      if (group === undefined) warnings.push(`Content group '${name}' not found`);
      else if (!joined.includes(group)) joined.push(group);
    }
    const record: SimulatedAsset = {
      assetId: randomUUID(),
      jobId: randomUUID(),
      title: asset.title ?? titleFromUrl(source),
      ...(asset.url === undefined ? {} : { url: asset.url }),
      ...(asset.external_url === undefined ? {} : { externalUrl: asset.external_url }),
      type: asset.type ?? "MOVIE",
      ...(asset.description === undefined ? {} : { description: asset.description }),
      genres: asset.genres ?? [],
      tags: asset.tags ?? [],
      ...(asset.production_year === undefined ? {} : { productionYear: asset.production_year }),
      ...(asset.poster_url === undefined ? {} : { posterUrl: asset.poster_url }),
      contentGroups: joined,
      warnings,
    };
    this.accepted.push(record);
    return { asset_id: record.assetId, job_id: record.jobId, status: "accepted", warnings };
  }
}

/** Vidori's documented error bodies are FastAPI's; 429 and 404 are assumed to be too. */
const vidoriDialect: ProviderDialect = {
  rateLimited: (retryAfterSeconds) => ({
    status: 429,
    body: { detail: "Rate limit exceeded" },
    headers: { "retry-after": String(retryAfterSeconds) },
  }),
  // Vidori documents 500 as its only server error, so an injected outage answers one unless told otherwise.
  unavailableStatus: 500,
  unavailable: (status) => ({
    status,
    body: { detail: status === 500 ? "Internal server error" : "Service unavailable" },
  }),
  notFound: () => ({ status: 404, body: { detail: "Not Found" } }),
};

/** One zod issue in pydantic's words, located the way FastAPI locates it. */
function toFastApi(issue: z.core.$ZodIssue, loc: (string | number)[], raw: unknown): ValidationIssue {
  const where = [...loc, ...issue.path.map((key) => (typeof key === "number" ? key : String(key)))];
  if (issue.code === "invalid_type") {
    if (valueAt(raw, issue.path) === undefined && issue.path.length > 0) {
      return { loc: where, msg: "Field required", type: "missing" };
    }
    const words: Record<string, [string, string]> = {
      string: ["Input should be a valid string", "string_type"],
      array: ["Input should be a valid list", "list_type"],
      int: ["Input should be a valid integer", "int_type"],
      number: ["Input should be a valid integer", "int_type"],
      object: [
        "Input should be a valid dictionary or object to extract fields from",
        "model_attributes_type",
      ],
    };
    const [msg, type] = words[issue.expected] ?? [`Input should be a valid ${issue.expected}`, "type_error"];
    return { loc: where, msg, type };
  }
  if (issue.code === "invalid_value") {
    const options = ASSET_TYPES.map((value) => `'${value}'`);
    return {
      loc: where,
      msg: `Input should be ${options.slice(0, -1).join(", ")} or ${options.at(-1)}`,
      type: "enum",
    };
  }
  return { loc: where, msg: issue.message, type: "value_error" };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** A title from the source's file name: what a catalog shows when nobody gave one. */
function titleFromUrl(source: string): string {
  const last = new URL(source).pathname.split("/").pop() ?? "";
  let name = last;
  try {
    name = decodeURIComponent(last);
  } catch {
    // A stray "%" is not an escape: keep the name as written.
  }
  return name.replace(/\.[^.]+$/, "") || "Untitled";
}

/** A copy without the `g`/`y` flags, whose `lastIndex` would make `test` answer differently each call. */
function withoutState(pattern: RegExp): RegExp {
  return new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
}
