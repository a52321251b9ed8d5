/**
 * A file that can be read by byte range. Uploads read one chunk at a time through it, so memory stays
 * bounded by the chunk size whatever the file size (an S3 object is read with ranged GETs).
 */
export interface ByteSource {
  /** The name providers show for the file. */
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /** Reads bytes `start` to `endInclusive`. */
  read(start: number, endInclusive: number): Promise<Uint8Array>;
}

/** A ByteSource over bytes already in memory: for tests and small local files. */
export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.byteLength,
    read: async (start, endInclusive) => bytes.subarray(start, endInclusive + 1),
  };
}
