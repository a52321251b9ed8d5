import { z } from "zod";
import { apiKeyHttpClient } from "../core/clientOptions";
import { isRecord } from "../core/errorBodies";
import { ProviderProtocolError, ProviderRejectedError } from "../core/errors";
import { InvalidInputError, previewValue, valueAt } from "../core/InvalidInputError";
import type { DescribedError, Fetch, ProviderHttpClient } from "../core/ProviderHttpClient";
import { vidoriProvider } from "./provider";
import {
  ASSET_TYPES,
  type AssetType,
  type ImportAssetWire,
  type ImportRequest,
  type ImportResponse,
  importResponseSchema,
  isHttpUrl,
  isManifestUrl,
  MAX_ASSETS_PER_REQUEST,
  messageErrorSchema,
  type ValidationIssue,
  validationErrorSchema,
} from "./schemas";

export { ASSET_TYPES, type AssetType, MAX_ASSETS_PER_REQUEST };

/** The provider name carried by every error this client throws. */
export const VIDORI_PROVIDER = "vidori";

/** Where the real service lives. */
export const VIDORI_BASE_URL = vidoriProvider.baseUrl;

/** The first production year accepted locally: the earliest films date from the late 1870s. */
export const FIRST_PRODUCTION_YEAR = 1870;

/** How to reach Vidori. */
export interface VidoriClientOptions {
  /** `VIDORI_BASE_URL`, or a simulator's base URL. */
  baseUrl: string;
  /** Sent as `X-API-Key`; Vidori documents no token exchange, so nothing is refreshed. */
  apiKey: string;
  fetch?: Fetch;
  timeoutMs?: number;
}

/** One asset to import, in our camelCase; exactly one of url / externalUrl. */
export interface VidoriAssetInput {
  /** A video Vidori downloads and transcodes (for an S3 object: a presigned GET URL). */
  url?: string;
  /** An HLS (.m3u8) or DASH (.mpd) manifest Vidori links as is. */
  externalUrl?: string;
  title?: string;
  description?: string;
  type?: AssetType;
  genres?: string[];
  tags?: string[];
  productionYear?: number;
  posterUrl?: string;
  /** Content group names (not ids), matched case-insensitively by Vidori; unknown ones come back as warnings. */
  contentGroups?: string[];
}

/** The fate of one asset: never dropped. `index` is its position in the batch plus the batch's `firstIndex`. */
export type VidoriAssetOutcome =
  | { index: number; status: "accepted"; assetId: string; jobId: string; warnings: string[] }
  | { index: number; status: "failed"; error: string; field?: string };

/** A problem found in one asset before anything is sent; `field` is our camelCase name. */
export interface VidoriAssetProblem {
  field: string;
  message: string;
}

interface Entry {
  index: number;
  asset: VidoriAssetInput;
}

type Settle = (outcome: VidoriAssetOutcome) => void;

/**
 * Vidori's External API: `POST /import` of up to 50 assets per request, each a URL to download or a manifest
 * to link. Vidori documents no way to read an asset or a job back, so the client reports what the import
 * answered (accepted with ids, or failed with a reason) and never polls.
 *
 * The import is not idempotent and has no idempotency key: a request whose answer is lost fails with
 * ProviderOutcomeUnknownError and is never re-sent here. The one request sent twice is the re-send after a
 * 422, which is safe because a 422 rejects the whole request before anything is created.
 */
export class VidoriClient {
  private readonly http: ProviderHttpClient;

  constructor(options: VidoriClientOptions) {
    this.http = apiKeyHttpClient(VIDORI_PROVIDER, options, describeVidoriError, { httpOnly: true });
  }

  /**
   * One request of at most 50 assets (what the pipeline calls per slice); indexes are offset by `firstIndex`.
   * Throws the provider error when the request fails as a whole (401, 429, 5xx, lost answer).
   */
  async importBatch(assets: VidoriAssetInput[], firstIndex = 0): Promise<VidoriAssetOutcome[]> {
    if (!Array.isArray(assets)) throw notAList("importBatch", assets);
    if (assets.length > MAX_ASSETS_PER_REQUEST) {
      throw new RangeError(
        `${VIDORI_PROVIDER} importBatch: ${assets.length} assets given, Vidori takes at most ` +
          `${MAX_ASSETS_PER_REQUEST} per request`,
      );
    }
    if (!Number.isInteger(firstIndex) || firstIndex < 0) {
      throw new RangeError(`${VIDORI_PROVIDER} importBatch: firstIndex must be a whole number >= 0`);
    }
    const outcomes: VidoriAssetOutcome[] = [];
    const settle: Settle = (outcome) => outcomes.push(outcome);
    const valid = this.screen(
      assets.map((asset, position) => ({ index: firstIndex + position, asset })),
      settle,
    );
    await this.send(valid, settle, true);
    return byIndex(outcomes);
  }

  /** Settles the assets that fail local validation and returns the others. */
  private screen(entries: Entry[], settle: Settle): Entry[] {
    return entries.filter((entry) => {
      const problems = validateAsset(entry.asset, entry.index);
      const first = problems[0];
      if (!first) return true;
      settle({
        index: entry.index,
        status: "failed",
        error: problems.map((problem) => problem.message).join("; "),
        field: first.field,
      });
      return false;
    });
  }

  /** Sends one request and settles each of its assets; after a 422 that names assets, re-sends the rest once. */
  private async send(entries: Entry[], settle: Settle, mayResend: boolean): Promise<void> {
    if (entries.length === 0) return;
    // The core client keeps only a message from an error body; a 422's `detail` names every rejected asset,
    // so it is caught on its way through this request's describeError (the secrets already hidden).
    let rejection: unknown;
    const body: ImportRequest = { assets: entries.map((entry) => toWire(entry.asset)) };
    let answer: ImportResponse;
    try {
      answer = await this.http.request({
        operation: "importAssets",
        method: "POST",
        path: "/import",
        json: body,
        schema: importResponseSchema,
        describeError: (status, error) => {
          if (status === 422) rejection = error;
          return describeVidoriError(status, error);
        },
      });
    } catch (error) {
      if (!(error instanceof ProviderRejectedError && error.status === 422)) throw error;
      const rest = settleRejection(entries, rejection, error, settle, mayResend);
      if (rest.length > 0) await this.send(rest, settle, false);
      return;
    }
    checkCounts(entries, answer);
    // Results are matched to assets by position: Vidori's example answers list one result per asset in
    // request order and carry nothing else (no index, no echoed URL) to match them by.
    entries.forEach(({ index }, position) => {
      const result = answer.results[position];
      if (result === undefined) return; // checkCounts has made sure there is one
      if (result.status === "accepted") {
        settle({
          index,
          status: "accepted",
          assetId: result.asset_id,
          jobId: result.job_id,
          warnings: result.warnings ?? [],
        });
      } else {
        settle({
          index,
          status: "failed",
          error: result.error?.trim() || "Vidori reported the asset as failed without a reason",
        });
      }
    });
  }
}

/**
 * Settles what a 422 says and returns the assets to send again. Issues that name an asset fail that asset;
 * an issue that names none (a batch too large, a body Vidori could not read) fails every asset of the request,
 * since nothing in it was imported and there is nothing narrower to blame.
 */
function settleRejection(
  entries: Entry[],
  rejection: unknown,
  error: ProviderRejectedError,
  settle: Settle,
  mayResend: boolean,
): Entry[] {
  const parsed = validationErrorSchema.safeParse(rejection);
  const issues: ValidationIssue[] = parsed.success ? parsed.data.detail : [];
  const perAsset = new Map<number, { field: string | undefined; message: string }[]>();
  const general: string[] = [];
  for (const issue of issues) {
    const [root, position, field] = issue.loc[0] === "body" ? issue.loc.slice(1) : issue.loc;
    const namesAnAsset =
      root === "assets" &&
      typeof position === "number" &&
      Number.isInteger(position) &&
      position >= 0 &&
      position < entries.length;
    if (namesAnAsset) {
      perAsset.set(position, [
        ...(perAsset.get(position) ?? []),
        { field: typeof field === "string" ? inputFieldName(field) : undefined, message: issue.msg },
      ]);
    } else {
      general.push(issue.msg);
    }
  }
  if (issues.length === 0) general.push(describeVidoriError(422, rejection)?.message ?? error.message);

  const reasons = (position: number) => {
    const found = perAsset.get(position) ?? [];
    const message =
      found.length === 1
        ? (found[0]?.message ?? "")
        : found.map((item) => (item.field ? `${item.field}: ${item.message}` : item.message)).join("; ");
    return { message, field: found.find((item) => item.field !== undefined)?.field };
  };

  if (general.length > 0) {
    const whole = `Vidori rejected the whole request: ${general.join("; ")}`;
    entries.forEach((entry, position) => {
      const own = reasons(position);
      settle(failed(entry.index, own.message ? `${own.message}; ${whole}` : whole, own.field));
    });
    return [];
  }
  const rest: Entry[] = [];
  entries.forEach((entry, position) => {
    if (perAsset.has(position)) {
      const own = reasons(position);
      settle(failed(entry.index, own.message, own.field));
    } else if (mayResend) {
      rest.push(entry);
    } else {
      settle(
        failed(
          entry.index,
          "Not imported: Vidori rejected the request a second time because of other assets in it; " +
            "import this asset again on its own",
        ),
      );
    }
  });
  return rest;
}

function failed(index: number, error: string, field?: string): VidoriAssetOutcome {
  return { index, status: "failed", error, ...(field === undefined ? {} : { field }) };
}

/** Results are matched by position, so any disagreement in the counts makes every match doubtful. */
function checkCounts(entries: Entry[], answer: ImportResponse): void {
  const accepted = answer.results.filter((result) => result.status === "accepted").length;
  const failedCount = answer.results.length - accepted;
  const problem =
    answer.results.length !== entries.length
      ? `sent ${entries.length} assets but got ${answer.results.length} results`
      : answer.accepted !== accepted || answer.failed !== failedCount
        ? `the counts (accepted ${answer.accepted}, failed ${answer.failed}) disagree with the results ` +
          `(accepted ${accepted}, failed ${failedCount})`
        : undefined;
  if (problem === undefined) return;
  const ids = answer.results.flatMap((result) => (result.asset_id ? [result.asset_id] : []));
  throw new ProviderProtocolError(
    `${VIDORI_PROVIDER} importAssets: ${problem}; results are matched to assets by position, so none can be ` +
      `trusted, yet Vidori may have created ${ids.length} assets (asset ids: ${ids.join(", ") || "none"})`,
    { provider: VIDORI_PROVIDER, operation: "importAssets", status: 200, cause: answer },
  );
}

const WIRE_NAMES = {
  url: "url",
  externalUrl: "external_url",
  title: "title",
  description: "description",
  type: "type",
  genres: "genres",
  tags: "tags",
  productionYear: "production_year",
  posterUrl: "poster_url",
  contentGroups: "content_groups",
} as const satisfies Record<keyof VidoriAssetInput, keyof ImportAssetWire>;

const INPUT_NAMES = new Map<string, string>(Object.entries(WIRE_NAMES).map(([input, wire]) => [wire, input]));

/** Our name for a field Vidori names in snake_case (`production_year` -> `productionYear`). */
function inputFieldName(wire: string): string {
  return (
    INPUT_NAMES.get(wire) ?? wire.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase())
  );
}

function toWire(asset: VidoriAssetInput): ImportAssetWire {
  const wire: Record<string, unknown> = {};
  for (const [input, name] of Object.entries(WIRE_NAMES)) {
    const value = asset[input as keyof VidoriAssetInput];
    if (value !== undefined) wire[name] = value;
  }
  return wire as ImportAssetWire;
}

function notAList(operation: string, assets: unknown): InvalidInputError {
  return new InvalidInputError("input", [{ field: "assets", problem: "must be a list", value: assets }], {
    provider: VIDORI_PROVIDER,
    operation,
  });
}

function byIndex(outcomes: VidoriAssetOutcome[]): VidoriAssetOutcome[] {
  return [...outcomes].sort((a, b) => a.index - b.index);
}

// ---- Local validation -----------------------------------------------------------------------------

const httpUrl = z.string({ error: "must be a string" }).refine(isHttpUrl, "must be an absolute http(s) URL");
const text = z
  .string({ error: "must be a string" })
  .trim()
  .min(1, "must not be empty (leave it out instead)");
const names = z.array(z.string({ error: "must be a string" }).trim().min(1, "must not be empty"), {
  error: "must be a list of strings",
});

const assetInputSchema = z.strictObject(
  {
    url: httpUrl.optional(),
    externalUrl: httpUrl
      .refine(isManifestUrl, "must be a manifest URL whose path ends in .m3u8 (HLS) or .mpd (DASH)")
      .optional(),
    title: text.optional(),
    description: text.optional(),
    type: z.enum(ASSET_TYPES, { error: `must be one of ${ASSET_TYPES.join(", ")}` }).optional(),
    genres: names.optional(),
    tags: names.optional(),
    productionYear: z
      .int({ error: "must be a whole number" })
      .min(FIRST_PRODUCTION_YEAR, `must be ${FIRST_PRODUCTION_YEAR} or later`)
      .refine((year) => year <= new Date().getUTCFullYear() + 1, "must not be later than next year")
      .optional(),
    posterUrl: httpUrl.optional(),
    contentGroups: names.optional(),
  },
  { error: "must be an object" },
);

/**
 * Checks one asset the way the client does before sending it: exactly one of url / externalUrl, http(s) URLs,
 * a manifest for externalUrl, a known type, a plausible whole production year, lists of non-empty names and no
 * unknown fields (a misspelt or snake_case field would otherwise be dropped without a word). Returns every
 * problem, each naming our camelCase field; an empty list means the asset may be sent.
 */
export function validateAsset(asset: unknown, index: number): VidoriAssetProblem[] {
  const at = `asset ${index}`;
  const result = assetInputSchema.safeParse(asset);
  const problems: VidoriAssetProblem[] = [];
  for (const issue of result.success ? [] : result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const hint = INPUT_NAMES.has(key) ? ` (did you mean ${inputFieldName(key)}?)` : "";
        problems.push({ field: key, message: `${at}: ${key} is not a field Vidori imports${hint}` });
      }
      continue;
    }
    const [field, ...rest] = issue.path.map(String);
    if (field === undefined) {
      problems.push({ field: "(asset)", message: `${at} ${issue.message} (got ${previewValue(asset)})` });
      continue;
    }
    const where = rest.length > 0 ? `${field}[${rest.join("][")}]` : field;
    problems.push({
      field,
      message: `${at}: ${where} ${issue.message} (got ${previewValue(valueAt(asset, issue.path))})`,
    });
  }
  if (isRecord(asset)) {
    const hasUrl = asset.url !== undefined;
    const hasExternal = asset.externalUrl !== undefined;
    if (hasUrl === hasExternal) {
      problems.push({
        field: "url",
        message: hasUrl
          ? `${at}: give either url (a video to download) or externalUrl (a manifest to link), not both`
          : `${at}: url (a video to download) or externalUrl (an HLS/DASH manifest to link) is required`,
      });
    }
  }
  return problems;
}

// ---- Errors ---------------------------------------------------------------------------------------

/**
 * Reads a Vidori error body: FastAPI's `{"detail": "..."}` (assumed for 401 and 500) or its validation list
 * `{"detail": [{"loc": ["body", "assets", 0, "external_url"], "msg", "type"}]}` (documented for 422).
 * The field is our camelCase name, and only `msg` is kept: FastAPI may echo the rejected `input`, which can
 * be a presigned URL.
 */
export function describeVidoriError(_status: number, body: unknown): DescribedError | undefined {
  const message = messageErrorSchema.safeParse(body);
  if (message.success)
    return message.data.detail.trim() ? { message: message.data.detail.trim() } : undefined;
  const validation = validationErrorSchema.safeParse(body);
  if (!validation.success || validation.data.detail.length === 0) return undefined;
  const described = validation.data.detail.slice(0, 5).map((issue) => {
    const loc = issue.loc[0] === "body" ? issue.loc.slice(1) : issue.loc;
    const where =
      loc[0] === "assets" && typeof loc[1] === "number"
        ? `asset ${loc[1]}${typeof loc[2] === "string" ? ` ${inputFieldName(loc[2])}` : ""}`
        : loc.join(".");
    return { where, field: typeof loc[2] === "string" ? inputFieldName(loc[2]) : undefined, msg: issue.msg };
  });
  const more = validation.data.detail.length > 5 ? `; and ${validation.data.detail.length - 5} more` : "";
  const first = described.find((item) => item.field !== undefined);
  return {
    message:
      described.map((item) => (item.where ? `${item.where}: ${item.msg}` : item.msg)).join("; ") + more,
    ...(first?.field === undefined ? {} : { field: first.field }),
  };
}
