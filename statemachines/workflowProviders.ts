import { PROVIDER_NAMES, PROVIDERS, type Provider } from "../functions/pipeline/jobSpec";
import type { WorkflowProvider } from "./build/workflowProvider";

/** Each provider's stages and their functions: what its Plan state writes. */
const STAGES_OF: Record<Provider, WorkflowProvider["stages"]> = {
  apivideo: {
    upload: { functionId: "ApiVideoUpload" },
    awaitUpload: { functionId: "ApiVideoStatus", callbackFunctionId: "ApiVideoAwaitCallback" },
    publish: { functionId: "ApiVideoPublish" },
  },
  videodev: {
    upload: { functionId: "VideoDevImportMedia" },
    awaitUpload: { functionId: "VideoDevMediaStatus", callbackFunctionId: "VideoDevAwaitCallback" },
    create: { functionId: "VideoDevCreateClip" },
    render: { functionId: "VideoDevRenderClip" },
    awaitRender: { functionId: "VideoDevRenderStatus", callbackFunctionId: "VideoDevAwaitCallback" },
    publish: { functionId: "VideoDevPublish" },
  },
  vidio: {
    upload: { functionId: "VidioUpload" },
    create: { functionId: "VidioCreateReel" },
    awaitCreate: { functionId: "VidioJobStatus" },
    render: { functionId: "VidioRender" },
    awaitRender: { functionId: "VidioRenderStatus" },
    publish: { functionId: "VidioPublish" },
  },
  vidori: {
    create: { functionId: "VidoriImportAssets" },
    publish: { functionId: "VidoriPublish" },
  },
  viostream: {
    create: { functionId: "ViostreamIngest" },
    awaitCreate: { functionId: "ViostreamIngestStatus" },
    publish: { functionId: "ViostreamPublish" },
  },
};

const NOTES: Partial<Record<Provider, string>> = {
  vidori: "Vidori documents no status API: the import is the last provider call.",
};

/**
 * The providers the workflow is built from. The one place that knows where provider facts live today;
 * when the provider registry lands, this function maps its descriptors instead.
 */
export function workflowProviders(): WorkflowProvider[] {
  return PROVIDERS.map((id) => ({
    id,
    displayName: PROVIDER_NAMES[id],
    stages: STAGES_OF[id],
    ...(NOTES[id] === undefined ? {} : { note: NOTES[id] }),
  }));
}
