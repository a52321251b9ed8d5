/**
 * A response body read front to back. Chunks are kept as they arrive and joined only when a read spans
 * several, so reading a multi-megabyte moov costs one copy, and skipped bytes are dropped as they come.
 */
export class ByteStream {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended = false;

  constructor(
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    /** Offset in the file of the next unconsumed byte. */
    public position: number,
    /** Bytes received so far, across every stream of one probe. */
    public received = 0,
  ) {}

  /** Bytes received and not yet consumed. */
  get available(): number {
    return this.length;
  }

  /** Reads until `bytes` are available; false when the body ends first. */
  async fill(bytes: number): Promise<boolean> {
    while (this.length < bytes && !this.ended) {
      const { value, done } = await this.reader.read();
      if (done) this.ended = true;
      else if (value.byteLength > 0) {
        this.received += value.byteLength;
        this.length += value.byteLength;
        this.chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      }
    }
    return this.length >= bytes;
  }

  /** The next `bytes` bytes (fewer when fewer are buffered), left in place. */
  peek(bytes: number): Buffer {
    return this.head(bytes).subarray(0, bytes);
  }

  /** The next `bytes` bytes (fewer when fewer are buffered), consumed. */
  take(bytes: number): Buffer {
    const head = this.head(bytes);
    const taken = head.subarray(0, bytes);
    const rest = head.subarray(taken.length);
    if (rest.length > 0) this.chunks[0] = rest;
    else this.chunks.shift();
    this.length -= taken.length;
    this.position += taken.length;
    return taken;
  }

  /** Consumes `bytes` without keeping them; false when the body ends first. */
  async skip(bytes: number): Promise<boolean> {
    let left = bytes;
    while (left > 0) {
      if (this.length === 0 && !(await this.fill(1))) return false;
      left -= this.take(Math.min(left, this.chunks[0]?.length ?? 0)).length;
    }
    return true;
  }

  /** Hangs up on the body. */
  cancel(): void {
    this.reader.cancel().catch(() => undefined);
  }

  /** The first chunk, made at least `bytes` long (or everything buffered) by joining the chunks. */
  private head(bytes: number): Buffer {
    const first = this.chunks[0] ?? Buffer.alloc(0);
    if (first.length >= bytes || this.chunks.length <= 1) return first;
    const joined = Buffer.concat(this.chunks);
    this.chunks = [joined];
    return joined;
  }
}
