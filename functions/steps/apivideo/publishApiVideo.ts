import type { ApiVideoJob } from "../../pipeline/jobSpec";
import type { ApiVideoClient } from "../../providers/apivideo/ApiVideoClient";

/** What an api.video job hands back: everything needed to play, embed or download the video. */
export interface ApiVideoResult {
  status: "succeeded";
  provider: "apivideo";
  jobId: string;
  videoId: string;
  title: string;
  hls: string;
  player: string;
  iframe: string;
  thumbnail: string;
  mp4?: string;
}

/** Reads the finished video's assets from api.video into the job's result. */
export async function publishApiVideo(
  apiVideo: ApiVideoClient,
  job: ApiVideoJob,
  videoId: string,
): Promise<ApiVideoResult> {
  const video = await apiVideo.getVideo(videoId);
  const { assets } = video;
  return {
    status: "succeeded",
    provider: "apivideo",
    jobId: job.jobId,
    videoId: video.videoId,
    title: video.title,
    hls: assets.hls,
    player: assets.player,
    iframe: assets.iframe,
    thumbnail: assets.thumbnail,
    ...(assets.mp4 ? { mp4: assets.mp4 } : {}),
  };
}
