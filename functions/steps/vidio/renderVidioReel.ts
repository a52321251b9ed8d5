import type { SliceAnswer } from "../../pipeline/stepEvent";
import type { VidioClient } from "../../providers/vidio/VidioClient";

/** Starts rendering the completed highlight reel. */
export async function renderVidioReel(
  vidio: VidioClient,
  vidioJobId: string,
): Promise<SliceAnswer & { status: string }> {
  const render = await vidio.render(vidioJobId);
  return { done: true, status: render.status };
}
