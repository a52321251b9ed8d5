/**
 * Vidori's wire formats for `POST /import`, as zod schemas; the client's wire types and the simulator's
 * validation both come from here. README.md says which parts Vidori documents and which are assumed.
 *
 * The answer schemas are tolerant: unknown fields are stripped and `null` reads as absent (a FastAPI service
 * serialising an optional field often sends `null`), but what the client relies on is checked strictly: the
 * result status, and the ids of an accepted asset.
 */
import { z } from "zod";
import { optionalField } from "../core/wireSchemas";

import { ASSET_TYPES } from "./options";

// Defined beside the job spec's options, which must not carry the wire schemas into every Lambda.
export { ASSET_TYPES, type AssetType, MAX_ASSETS_PER_REQUEST } from "./options";

/** The manifest suffixes `external_url` accepts: HLS and DASH. */
export const MANIFEST_SUFFIXES = [".m3u8", ".mpd"] as const;

/**
 * Whether a URL points at an HLS or DASH manifest. Only the path counts, so a signed CDN URL
 * (`.../master.m3u8?token=...`) is a manifest; Vidori's own check is not documented beyond the suffixes.
 */
export function isManifestUrl(value: string): boolean {
  const path = URL.canParse(value) ? new URL(value).pathname : (value.split(/[?#]/)[0] ?? "");
  const lower = path.toLowerCase();
  return MANIFEST_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/** Whether a string is an absolute http(s) URL with a host: what `url`, `external_url` and `poster_url` hold. */
export { isHttpUrl } from "../core/clientOptions";

/** The `msg` Vidori documents for an asset with neither source. */
export const MISSING_SOURCE_MESSAGE = "Either 'url' or 'external_url' must be provided";
/** Assumed wording: Vidori documents that exactly one source is allowed, not how it says so. */
export const BOTH_SOURCES_MESSAGE = "Provide either 'url' or 'external_url', not both";
/** Assumed wording for an `external_url` that is not a manifest. */
export const NOT_A_MANIFEST_MESSAGE = "external_url must be an HLS (.m3u8) or DASH (.mpd) manifest URL";

/**
 * One asset of `POST /import`, as Vidori's request model reads it: every field typed, exactly one source,
 * and `external_url` a manifest. The simulator turns this schema's issues into FastAPI's 422 format.
 */
export const importAssetWireSchema = z
  .object({
    url: optionalField(z.string()),
    external_url: optionalField(z.string().refine(isManifestUrl, NOT_A_MANIFEST_MESSAGE)),
    title: optionalField(z.string()),
    description: optionalField(z.string()),
    type: optionalField(z.enum(ASSET_TYPES)),
    genres: optionalField(z.array(z.string())),
    tags: optionalField(z.array(z.string())),
    production_year: optionalField(z.int()),
    poster_url: optionalField(z.string()),
    content_groups: optionalField(z.array(z.string())),
  })
  .superRefine((asset, context) => {
    const sources = [asset.url, asset.external_url].filter((source) => source !== undefined).length;
    if (sources !== 1) {
      context.addIssue({
        code: "custom",
        message: sources === 0 ? MISSING_SOURCE_MESSAGE : BOTH_SOURCES_MESSAGE,
      });
    }
  });

/** One asset as sent to Vidori (snake_case, absent fields left out). */
export type ImportAssetWire = z.infer<typeof importAssetWireSchema>;

/** Body of `POST /import`. */
export interface ImportRequest {
  assets: ImportAssetWire[];
}

/** The fate of one asset in a 200 answer; an accepted asset always has both ids, a failed one may have none. */
export const importResultSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("accepted"),
    asset_id: z.string().min(1),
    job_id: z.string().min(1),
    warnings: optionalField(z.array(z.string())),
  }),
  z.object({
    status: z.literal("failed"),
    asset_id: optionalField(z.string()),
    job_id: optionalField(z.string()),
    error: optionalField(z.string()),
  }),
]);

/** One result as the client reads it. */
export type ImportResult = z.infer<typeof importResultSchema>;

/** Answer of `POST /import` (HTTP 200), which may be a partial success. */
export const importResponseSchema = z.object({
  results: z.array(importResultSchema),
  accepted: z.int().nonnegative(),
  failed: z.int().nonnegative(),
});

/** A 200 answer as the client reads it. */
export type ImportResponse = z.infer<typeof importResponseSchema>;

/** One entry of a FastAPI validation error: where (`["body", "assets", 0, "external_url"]`), what, and its kind. */
export const validationIssueSchema = z.object({
  loc: z.array(z.union([z.string(), z.number()])),
  msg: z.string(),
  type: optionalField(z.string()),
});

/** One entry of a 422's `detail`. */
export type ValidationIssue = z.infer<typeof validationIssueSchema>;

/** Body of a 422: the format Vidori documents. */
export const validationErrorSchema = z.object({ detail: z.array(validationIssueSchema) });

/** Body of other errors (401, 500), assumed to be FastAPI's `HTTPException` format. */
export const messageErrorSchema = z.object({ detail: z.string() });
