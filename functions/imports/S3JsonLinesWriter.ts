import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";

/** S3's smallest part is 5 MiB; 8 MiB keeps a 100,000-row plan to a handful of requests. */
const PART_BYTES = 8 * 1024 * 1024;

/**
 * Writes a JSON Lines object to S3 holding at most one part in memory: a small object is one PutObject, a
 * large one a multipart upload, started when the first part is full. `close` must be called to finish it.
 */
export class S3JsonLinesWriter {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private uploadId: string | undefined;
  private readonly parts: { ETag: string | undefined; PartNumber: number }[] = [];
  lines = 0;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly key: string,
  ) {}

  /** Appends one value as one line. */
  async write(value: unknown): Promise<void> {
    const bytes = Buffer.from(`${JSON.stringify(value)}\n`, "utf8");
    this.buffered.push(bytes);
    this.bufferedBytes += bytes.length;
    this.lines += 1;
    if (this.bufferedBytes >= PART_BYTES) await this.flushPart();
  }

  /** Finishes the object (an empty one when nothing was written). */
  async close(): Promise<void> {
    if (this.uploadId === undefined) {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key,
          Body: Buffer.concat(this.buffered),
          ContentType: "application/x-ndjson",
        }),
      );
      this.buffered = [];
      return;
    }
    try {
      if (this.bufferedBytes > 0) await this.flushPart();
      await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.key,
          UploadId: this.uploadId,
          MultipartUpload: { Parts: this.parts },
        }),
      );
    } catch (error) {
      await this.abort();
      throw error;
    }
  }

  /** Gives up a multipart upload, so its parts are not kept (and billed). */
  async abort(): Promise<void> {
    if (this.uploadId === undefined) return;
    const uploadId = this.uploadId;
    this.uploadId = undefined;
    await this.s3
      .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: uploadId }))
      .catch(() => undefined);
  }

  private async flushPart(): Promise<void> {
    try {
      if (this.uploadId === undefined) {
        const created = await this.s3.send(
          new CreateMultipartUploadCommand({
            Bucket: this.bucket,
            Key: this.key,
            ContentType: "application/x-ndjson",
          }),
        );
        this.uploadId = created.UploadId;
      }
      const body = Buffer.concat(this.buffered);
      this.buffered = [];
      this.bufferedBytes = 0;
      const PartNumber = this.parts.length + 1;
      const { ETag } = await this.s3.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: this.key,
          UploadId: this.uploadId,
          PartNumber,
          Body: body,
        }),
      );
      this.parts.push({ ETag, PartNumber });
    } catch (error) {
      await this.abort();
      throw error;
    }
  }
}
