/**
 * How a video's processing looks from outside while the simulator pretends to ingest and encode it: the
 * status `GET /videos/{id}/status` answers at a given share of the processing time, and the renditions
 * whose completion is announced by webhook.
 */

import type { UploadState } from "./SourceUpload";
import type { ApiVideoStatus, IngestStatus, QualityStatus } from "./schemas";

/** One encoded rendition of a video. */
export interface Rendition {
  type: "hls" | "mp4";
  quality: string;
  /** Fraction of processing at which this rendition is encoded. */
  doneAt: number;
}

/** What of a video its status depends on. */
export interface EncodedVideo {
  upload: UploadState | undefined;
  mp4Support: boolean;
  failEncoding: boolean;
}

const HLS_QUALITIES = ["240p", "360p", "480p", "720p"];
/** Ingest takes the first part of processing; encoding the rest, the first rendition at half-way. */
const INGEST_UPLOADED_UNTIL = 0.15;
const INGEST_INGESTING_UNTIL = 0.3;
const FIRST_RENDITION_AT = 0.5;
const ENCODING_LEAD = 0.25;

/** The status of a video whose processing is `progress` (0..1) done, or has not started (`undefined`). */
export function videoStatus(video: EncodedVideo, progress: number | undefined): ApiVideoStatus {
  const upload = video.upload;
  const receivedBytes = upload?.chunks.map((chunk) => ({ ...chunk }));
  const filesize = upload?.total ?? null;
  if (progress === undefined) {
    return {
      ingest: {
        status: upload ? "uploading" : "missing",
        filesize,
        ...(receivedBytes ? { receivedBytes } : {}),
      },
      encoding: { playable: false, qualities: [], metadata: emptyMetadata() },
    };
  }
  const ingest: IngestStatus =
    progress < INGEST_UPLOADED_UNTIL
      ? "uploaded"
      : progress < INGEST_INGESTING_UNTIL
        ? "ingesting"
        : "ingested";
  const qualities = renditionsOf(video.mp4Support).map((rendition) => ({
    type: rendition.type,
    quality: rendition.quality,
    status: qualityStatus(rendition, progress, video.failEncoding),
  }));
  const playable = qualities.some((quality) => quality.type === "hls" && quality.status === "encoded");
  return {
    ingest: { status: ingest, filesize, ...(receivedBytes ? { receivedBytes } : {}) },
    encoding: {
      playable,
      qualities,
      metadata: ingest === "ingested" ? sampleMetadata() : emptyMetadata(),
    },
  };
}

/** The renditions a video gets, each with the share of processing after which it is encoded. */
export function renditionsOf(mp4Support: boolean): Rendition[] {
  const names: Pick<Rendition, "type" | "quality">[] = HLS_QUALITIES.map((quality) => ({
    type: "hls",
    quality,
  }));
  if (mp4Support) names.push({ type: "mp4", quality: HLS_QUALITIES.at(-1) ?? "720p" });
  const steps = Math.max(1, names.length - 1);
  return names.map((name, index) => ({
    ...name,
    doneAt: FIRST_RENDITION_AT + ((1 - FIRST_RENDITION_AT) * index) / steps,
  }));
}

function qualityStatus(rendition: Rendition, progress: number, failing: boolean): QualityStatus {
  if (progress >= rendition.doneAt) return failing ? "failed" : "encoded";
  if (progress >= Math.max(INGEST_INGESTING_UNTIL, rendition.doneAt - ENCODING_LEAD)) return "encoding";
  return "waiting";
}

function emptyMetadata(): NonNullable<ApiVideoStatus["encoding"]["metadata"]> {
  return {
    width: null,
    height: null,
    bitrate: null,
    duration: null,
    framerate: null,
    samplerate: null,
    videoCodec: null,
    audioCodec: null,
    aspectRatio: null,
  };
}

function sampleMetadata(): NonNullable<ApiVideoStatus["encoding"]["metadata"]> {
  return {
    width: 1280,
    height: 720,
    bitrate: 2500,
    duration: 4,
    framerate: 30,
    samplerate: 48000,
    videoCodec: "h264",
    audioCodec: "aac",
    aspectRatio: "16/9",
  };
}
