import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

/** The parts of s3rver's filesystem store this file changes. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string, kind: "object"): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: {
    bucket: string;
    key: string;
    content: Buffer | Readable;
    metadata: unknown;
  }): Promise<unknown>;
  getObject(bucket: string, key: string, options?: unknown): Promise<unknown>;
}

/**
 * Makes s3rver's object writes atomic, as S3's are. s3rver answers a PUT before its file is flushed, and
 * rewrites an object in place, so a GET racing an overwrite (a webhook reading a callback file while a
 * wait rewrites it) could read half a JSON document; nothing on AWS can. Each object is now written to a
 * temporary file and renamed over the old one, and a key's writes and reads take turns, so its metadata and
 * content always match.
 */
export function makeObjectWritesAtomic(store: FilesystemStore): void {
  const turns = new Map<string, Promise<unknown>>();
  const inTurn = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const previous = turns.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    turns.set(key, settled);
    void settled.then(() => {
      if (turns.get(key) === settled) turns.delete(key);
    });
    return next;
  };

  const getObject = store.getObject.bind(store);
  store.getObject = (bucket, key, options) =>
    inTurn(`${bucket}/${key}`, () => getObject(bucket, key, options));
  store.putObject = (object) =>
    inTurn(`${object.bucket}/${object.key}`, async () => {
      const path = store.getResourcePath(object.bucket, object.key, "object");
      const temporary = `${path}.${randomUUID()}.tmp`;
      await mkdir(dirname(path), { recursive: true });
      const md5 = createHash("md5");
      let size = 0;
      const source = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
      await pipeline(
        source,
        new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            md5.update(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        }),
        createWriteStream(temporary),
      );
      await rename(temporary, path);
      const digest = md5.digest("hex");
      await store.putMetadata(object.bucket, object.key, object.metadata, digest);
      return { size, md5: digest };
    });
}
