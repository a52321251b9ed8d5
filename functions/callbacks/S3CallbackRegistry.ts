import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { CallbackAddress, CallbackRecord, CallbackRegistry, StoredEvent } from "./CallbackRegistry";

/** Where every callback file lives in the bucket; a lifecycle rule on it can expire old waits. */
export const CALLBACK_PREFIX = "callbacks/";

/**
 * Callbacks as small JSON objects in S3: `callbacks/<provider>/<key>.json` for the waiting task,
 * `callbacks/<provider>/<key>.event.json` for an event that came first. S3's read-after-write consistency
 * is what lets each side write its half and then read the other's.
 */
export class S3CallbackRegistry implements CallbackRegistry {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  putCallback(address: CallbackAddress, record: CallbackRecord): Promise<void> {
    return this.put(objectKey(address, ".json"), record);
  }

  getCallback(address: CallbackAddress): Promise<CallbackRecord | undefined> {
    return this.get(objectKey(address, ".json"));
  }

  putEvent(address: CallbackAddress, event: StoredEvent): Promise<void> {
    return this.put(objectKey(address, ".event.json"), event);
  }

  getEvent(address: CallbackAddress): Promise<StoredEvent | undefined> {
    return this.get(objectKey(address, ".event.json"));
  }

  private async put(key: string, value: unknown): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify(value),
        ContentType: "application/json",
      }),
    );
  }

  private async get<T>(key: string): Promise<T | undefined> {
    try {
      const answer = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return JSON.parse((await answer.Body?.transformToString()) ?? "null") ?? undefined;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return undefined;
      throw error;
    }
  }
}

/** Keys come from provider ids and job ids: encoded, so no id can climb out of its provider's folder. */
function objectKey(address: CallbackAddress, suffix: string): string {
  const key = address.key.split("/").map(encodeURIComponent).join("/");
  return `${CALLBACK_PREFIX}${address.provider}/${key}${suffix}`;
}
