import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import type { S3Event } from "aws-lambda";
import S3rver from "s3rver";
import { makeObjectWritesAtomic } from "./atomicObjectWrites";

/** s3rver's fixed credentials; it checks signatures, so the client must sign with these. */
const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** A real S3 API (s3rver) on 127.0.0.1 with one bucket, in a temporary directory removed on stop. */
export class LocalS3 {
  private constructor(
    private readonly server: S3rver,
    private readonly directory: string,
    readonly endpoint: string,
    readonly bucket: string,
  ) {}

  /** Starts s3rver on a free port with `bucket` created. */
  static async start(bucket: string): Promise<LocalS3> {
    const directory = await mkdtemp(join(tmpdir(), "vidstep-s3-"));
    const server = new S3rver({
      address: "127.0.0.1",
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: bucket, configs: [] }],
    });
    makeObjectWritesAtomic(
      (server as unknown as { store: Parameters<typeof makeObjectWritesAtomic>[0] }).store,
    );
    const { port } = await server.run();
    return new LocalS3(server, directory, `http://127.0.0.1:${port}`, bucket);
  }

  /** An S3 client for this server: path-style addressing, because bucket subdomains of 127.0.0.1 don't resolve. */
  client(): S3Client {
    return new S3Client({
      endpoint: this.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
    });
  }

  /**
   * Calls `listener` with the S3 event of every object put, copied or deleted, as S3 would notify a Lambda:
   * keys URL-encoded (`+` for a space) as in real event records, which s3rver leaves raw.
   */
  onObjectEvent(listener: (event: S3Event) => void): void {
    (this.server as unknown as NodeJS.EventEmitter).on("event", (event: S3Event) => {
      listener({
        Records: event.Records.map((record) => ({
          ...record,
          s3: { ...record.s3, object: { ...record.s3.object, key: encodeEventKey(record.s3.object.key) } },
        })),
      });
    });
  }

  /** Stops the server and deletes its files. */
  async stop(): Promise<void> {
    // Keep-alive sockets from SDK clients would hold close() open until they time out.
    (this.server as unknown as { httpServer?: Server }).httpServer?.closeAllConnections();
    await this.server.close();
    await rm(this.directory, { recursive: true, force: true });
  }
}

/** A key the way S3 event records carry it: form-encoded, `/` kept. */
function encodeEventKey(key: string): string {
  return key
    .split("/")
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, "+"))
    .join("/");
}
