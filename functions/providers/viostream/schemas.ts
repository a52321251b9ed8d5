/**
 * Viostream v3 REST bodies as zod schemas; the client's and the simulator's types are inferred from here.
 * README.md in this folder says which shapes come from Viostream's import guide and which are assumed.
 *
 * Answers are read tolerantly where Viostream may add or blank fields (unknown fields are stripped, `null`
 * reads as absent) and strictly where the pipeline decides on a value: the ingest status is an exact enum,
 * so a status Viostream adds tomorrow fails loudly instead of being polled until the wait loop's cap.
 */
import { z } from "zod";
import { optionalField } from "../core/wireSchemas";

/** Formats the import guide lists as supported; the client compares case-insensitively and sends lower case. */
export const VIOSTREAM_EXTENSIONS = ["mp4", "mov", "avi", "wmv", "mkv", "webm", "3gp"] as const;

/** One of the supported file extensions. */
export type ViostreamExtension = (typeof VIOSTREAM_EXTENSIONS)[number];

/** The ingest states the import guide documents. */
export const INGEST_STATUSES = ["Processing", "Online", "Failed"] as const;

/** Where an ingest stands. */
export type ViostreamIngestState = (typeof INGEST_STATUSES)[number];

/** Assumed longest `referenceId` (not documented): long enough for any job id, short enough to be a key. */
export const MAX_REFERENCE_ID_LENGTH = 100;

/** Largest `PageSize` `GET media` accepts (project design brief). */
export const MAX_PAGE_SIZE = 100;

// Ids are strings in the guide's sample; a numeric id would be just as usable, so it is read as text.
const idText = z.union([z.string().min(1), z.number()]).transform(String);

/** The parts of `GET account/info` we read; the answer's shape is not documented (assumed `{id, name}`). */
export const accountSchema = z.object({
  id: optionalField(idText),
  name: optionalField(z.string()),
});

/** Body of `POST media/new` as Viostream documents it: `referenceId` is optional there. */
export const createIngestRequestSchema = z.object({
  sourceUrl: z.url({
    protocol: /^https?$/,
    error: (issue) =>
      issue.input === undefined ? "is required" : "must be an absolute http(s) URL Viostream can download",
  }),
  filename: z.string({ error: "is required" }).trim().min(1, "must not be empty"),
  extension: z
    .string({ error: "is required" })
    .refine((value) => (VIOSTREAM_EXTENSIONS as readonly string[]).includes(value.toLowerCase()), {
      error: `must be one of ${VIOSTREAM_EXTENSIONS.join(", ")}`,
    }),
  referenceId: z
    .string({ error: "must be a string" })
    .trim()
    .min(1, "must not be empty")
    .max(MAX_REFERENCE_ID_LENGTH, `must be at most ${MAX_REFERENCE_ID_LENGTH} characters`)
    .optional(),
});

/** Answer of `POST media/new`. */
export const ingestSchema = z.object({ ingestId: z.string().min(1) });

// The failure text is a string in the guide's sample (`status_data.get('error')`); an object with a message
// is read too, so a richer error format still reaches the job's failure record in Viostream's words.
const failureText = z.union([
  z.string(),
  z
    .object({ message: optionalField(z.string()), detail: optionalField(z.string()) })
    .transform((error) => error.message ?? error.detail),
]);

/** Answer of `GET media/new/status/{ingestId}`. */
export const ingestStatusSchema = z.object({
  status: z.enum(INGEST_STATUSES),
  error: optionalField(failureText),
});

/** A media item of `GET media` (the guide's "Media Detail Response"). */
export const mediaSchema = z.object({
  id: idText,
  /** The public key: what the player's embed URL is built from. */
  key: z.string().min(1),
  title: optionalField(z.string()),
  description: optionalField(z.string()),
  /** `HH:MM:SS` in the guide; read it with `parseDuration`. Absent or blank while a media is processing. */
  duration: optionalField(z.string()),
  // Free text rather than an enum: a media state the guide does not list must not break a lookup.
  status: z.string(),
  createdDate: optionalField(z.string()),
  referenceId: optionalField(z.string()),
  thumbnail: optionalField(z.string()),
});

/**
 * Answer of `GET media`. The guide's sample reads `listResult.items` and then indexes it again as
 * `items["items"]`, which cannot work on a list: `listResult.items` is taken to be the array itself.
 */
export const mediaListSchema = z.object({
  listResult: z.object({
    // `null` for "nothing found" is read as an empty page rather than a broken answer.
    items: z
      .array(mediaSchema)
      .nullable()
      .transform((items) => items ?? []),
    totalItems: optionalField(z.number().int().nonnegative()),
    pageNumber: optionalField(z.number().int()),
    pageSize: optionalField(z.number().int()),
  }),
});

/** The account, as far as the client reads it. */
export type ViostreamAccount = z.infer<typeof accountSchema>;
/** Body of `POST media/new` as sent. */
export type CreateIngestRequest = z.infer<typeof createIngestRequestSchema>;
/** An ingest status as the client returns it. */
export type ViostreamIngestStatus = z.infer<typeof ingestStatusSchema>;
/** A media item as the client returns it. */
export type ViostreamMedia = z.infer<typeof mediaSchema>;
/** A media item as it travels on the wire (`null` allowed where Viostream blanks a field). */
export type ViostreamMediaWire = z.input<typeof mediaSchema>;
/** A page of `GET media` as it travels on the wire. */
export type ViostreamMediaListWire = z.input<typeof mediaListSchema>;
