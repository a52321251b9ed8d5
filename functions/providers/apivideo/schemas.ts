/**
 * api.video wire formats. Answers are parsed with loose objects: api.video adds fields over time and
 * we must not break on them, but every field the project reads is required and typed.
 * See README.md in this folder for which shapes come from the seed document and which are assumptions.
 */
import { z } from "zod";

/** Bytes in a mebibyte: api.video's upload limits are stated in MiB. */
export const MIB = 1024 * 1024;
/** Smallest chunk of a chunked upload, except the last one. */
export const MIN_CHUNK_BYTES = 5 * MIB;
/** Largest chunk of a chunked upload. */
export const MAX_CHUNK_BYTES = 128 * MIB;
/** Largest upload sent in one request without `Content-Range`. */
export const MAX_PLAIN_UPLOAD_BYTES = 200 * MIB;
/** The metadata key that ties a video to the vidstep job that created it. */
export const JOB_ID_METADATA_KEY = "vidstepJobId";
/** The webhook event sent each time one quality of a video is encoded. */
export const QUALITY_COMPLETED_EVENT = "video.encoding.quality.completed";

// ---- Authentication -------------------------------------------------------------------------------

/** Body of `POST /auth/api-key`. */
export const authenticateRequestSchema = z.object({ apiKey: z.string().min(1) });
export type AuthenticateRequest = z.infer<typeof authenticateRequestSchema>;

/** Body of `POST /auth/refresh`. */
export const refreshRequestSchema = z.object({ refreshToken: z.string().min(1) });
export type RefreshRequest = z.infer<typeof refreshRequestSchema>;

/** Answer of both token endpoints. */
export const accessTokenSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive(),
});
export type AccessToken = z.infer<typeof accessTokenSchema>;

// ---- Errors ---------------------------------------------------------------------------------------

/** api.video's problem JSON; `name` is the attribute at fault, when one is. */
export const problemSchema = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  name: z.string().optional(),
});
export type Problem = z.infer<typeof problemSchema>;

// ---- Videos ---------------------------------------------------------------------------------------

/** One key/value pair of a video's metadata. */
export const metadataEntrySchema = z.object({ key: z.string().min(1), value: z.string() });
export type MetadataEntry = z.infer<typeof metadataEntrySchema>;

/** Body of `POST /videos`. The simulator validates with it, so its messages read like the provider's. */
export const createVideoRequestSchema = z.object({
  title: z.string("This attribute is required.").trim().min(1, "This attribute must not be empty."),
  source: z.url({ protocol: /^https?$/, error: "This attribute must be a valid http(s) URL." }).optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  public: z.boolean().optional(),
  mp4Support: z.boolean().optional(),
  metadata: z.array(metadataEntrySchema).optional(),
});
export type CreateVideoRequest = z.infer<typeof createVideoRequestSchema>;

/** Where the playable renditions of a video live; `mp4` only exists with mp4 support. */
export const videoAssetsSchema = z.looseObject({
  iframe: z.string(),
  player: z.string(),
  hls: z.string(),
  thumbnail: z.string(),
  mp4: z.string().optional(),
});
export type ApiVideoAssets = z.infer<typeof videoAssetsSchema>;

/** The video object, as `POST /videos`, `GET /videos/{id}` and each upload answer return it. */
export const videoSchema = z.looseObject({
  videoId: z.string().min(1),
  title: z.string(),
  description: z.string().optional(),
  public: z.boolean().optional(),
  panoramic: z.boolean().optional(),
  mp4Support: z.boolean().optional(),
  publishedAt: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  tags: z.array(z.string()).default([]),
  metadata: z.array(metadataEntrySchema).default([]),
  source: z.looseObject({ type: z.string().optional(), uri: z.string().optional() }).optional(),
  assets: videoAssetsSchema,
});
export type ApiVideoVideo = z.infer<typeof videoSchema>;

/** One link of a list answer's pagination. */
export const paginationLinkSchema = z.looseObject({ rel: z.string(), uri: z.string() });

/** Pagination block of every list answer. */
export const paginationSchema = z.looseObject({
  currentPage: z.number().int(),
  currentPageItems: z.number().int().optional(),
  pageSize: z.number().int(),
  pagesTotal: z.number().int(),
  itemsTotal: z.number().int(),
  links: z.array(paginationLinkSchema),
});
export type Pagination = z.infer<typeof paginationSchema>;

/** Answer of `GET /videos`. */
export const videoListSchema = z.looseObject({
  data: z.array(videoSchema),
  pagination: paginationSchema,
});
export type ApiVideoVideoList = z.infer<typeof videoListSchema>;

// ---- Status ---------------------------------------------------------------------------------------

/** Where the source file stands: nothing yet, arriving, stored, being read, read. */
export const ingestStatusSchema = z.enum(["missing", "uploading", "uploaded", "ingesting", "ingested"]);
export type IngestStatus = z.infer<typeof ingestStatusSchema>;

/** Where one rendition stands. */
export const qualityStatusSchema = z.enum(["waiting", "encoding", "encoded", "failed"]);
export type QualityStatus = z.infer<typeof qualityStatusSchema>;

/** One byte range api.video has received of a chunked upload. */
export const receivedRangeSchema = z.looseObject({
  from: z.number().int(),
  to: z.number().int(),
  total: z.number().int(),
});

/** One rendition of a video (`type` is `hls` or `mp4`). */
export const qualitySchema = z.looseObject({
  quality: z.string(),
  status: qualityStatusSchema,
  type: z.string().optional(),
});
export type ApiVideoQuality = z.infer<typeof qualitySchema>;

const nullableNumber = z.number().nullable().optional();
const nullableString = z.string().nullable().optional();

/** Answer of `GET /videos/{id}/status`. */
export const videoStatusSchema = z.looseObject({
  ingest: z.looseObject({
    status: ingestStatusSchema,
    filesize: z.number().nullable().optional(),
    receivedBytes: z.array(receivedRangeSchema).optional(),
  }),
  encoding: z.looseObject({
    playable: z.boolean(),
    qualities: z.array(qualitySchema),
    metadata: z
      .looseObject({
        width: nullableNumber,
        height: nullableNumber,
        bitrate: nullableNumber,
        duration: nullableNumber,
        framerate: nullableNumber,
        samplerate: nullableNumber,
        videoCodec: nullableString,
        audioCodec: nullableString,
        aspectRatio: nullableString,
      })
      .optional(),
  }),
});
export type ApiVideoStatus = z.infer<typeof videoStatusSchema>;

// ---- Webhooks -------------------------------------------------------------------------------------

/** Body of `POST /webhooks`. */
export const createWebhookRequestSchema = z.object({
  events: z
    .array(z.string().min(1), "This attribute is required.")
    .min(1, "This attribute must not be empty."),
  url: z.url({ protocol: /^https?$/, error: "This attribute must be a valid http(s) URL." }),
});
export type CreateWebhookRequest = z.infer<typeof createWebhookRequestSchema>;

/** Answer of `POST /webhooks`; `signatureSecret` signs every delivery. */
export const webhookSchema = z.looseObject({
  webhookId: z.string().min(1),
  createdAt: z.string().optional(),
  events: z.array(z.string()),
  url: z.string(),
  signatureSecret: z.string().min(1),
});
export type ApiVideoWebhook = z.infer<typeof webhookSchema>;

/** Body api.video POSTs to a webhook when one quality of a video is encoded. */
export const qualityCompletedEventSchema = z.looseObject({
  type: z.literal(QUALITY_COMPLETED_EVENT),
  emittedAt: z.string(),
  videoId: z.string().min(1),
  encoding: z.string(),
  quality: z.string(),
});
export type QualityCompletedEvent = z.infer<typeof qualityCompletedEventSchema>;
