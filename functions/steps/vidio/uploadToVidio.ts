import type { VidioJob } from "../../pipeline/jobSpec";
import type { SourceReader } from "../../pipeline/sourceReader";
import type { SliceAnswer } from "../../pipeline/stepEvent";
import type { VidioClient } from "../../providers/vidio/VidioClient";
import { type CheckedVidioInputs, checkVidioInputs } from "./checkVidioInputs";

/** Where the uploads to VIDIO stand: the keys so far, in the order of the job's sources. */
export interface VidioUploadProgress extends SliceAnswer, CheckedVidioInputs {
  inputKeys: string[];
}

/**
 * Uploads the job's inputs to VIDIO in order, each streamed (memory bounded whatever the size). The first
 * slice checks every input's duration first; each slice uploads at least one input and stops when the
 * Lambda runs short of time, so hundreds of inputs span several invocations.
 */
export async function uploadToVidio(
  job: VidioJob,
  previous: VidioUploadProgress | undefined,
  dependencies: { vidio: VidioClient; reader: SourceReader },
  hasTimeLeft: () => boolean,
): Promise<VidioUploadProgress> {
  const checked = previous ?? { ...(await checkVidioInputs(job, dependencies.reader)), inputKeys: [] };
  const inputKeys = [...checked.inputKeys];
  do {
    const source = job.sources[inputKeys.length];
    if (!source) break;
    const stream = await dependencies.reader.stream(source, `sources.${inputKeys.length}.url`);
    const uploaded = await dependencies.vidio.upload({
      name: stream.name,
      size: stream.size,
      body: stream.body,
    });
    inputKeys.push(uploaded.input_key);
  } while (inputKeys.length < job.sources.length && hasTimeLeft());
  return { ...checked, inputKeys, done: inputKeys.length === job.sources.length };
}
