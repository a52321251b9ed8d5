import { createFile, type ISOFile, type Movie, MP4BoxBuffer } from "mp4box";

export type { Movie, Track } from "mp4box";

/** One top-level box of a file, as far as the parser has seen it. */
export interface TopLevelBox {
  type: string;
  start: number;
  /** Where the box claims to end: past the bytes seen so far when the file is cut short. */
  end: number;
}

/**
 * The one MP4/MOV reader of the project: mp4box, fed the bytes a caller fetched from wherever it fetched
 * them. The pipeline's probe and the simulators that read a source the way their provider does differ in
 * how they fetch (ranged reads, one streamed GET) but read the boxes with this.
 */
export class MovieParser {
  /** What the movie header says, once a whole `moov` has been parsed. */
  movie: Movie | undefined;
  private readonly file: ISOFile = createFile();
  private failure: string | undefined;
  private readonly diagnostics: string[] = [];

  constructor() {
    this.file.onReady = (movie) => {
      this.movie = movie;
    };
    this.file.onError = (_module, message) => {
      this.failure = message;
    };
  }

  /** Parses `bytes` found at `offset` in the file; returns the offset whose bytes the parser wants next. */
  append(bytes: Uint8Array, offset: number): number {
    return quietly(this.file, MP4BoxBuffer.fromArrayBuffer(copyOf(bytes), offset), this.diagnostics);
  }

  /** The top-level boxes seen so far, in file order. */
  boxes(): TopLevelBox[] {
    return this.file.boxes.map((box) => ({
      type: box.type,
      start: box.start ?? 0,
      end: (box.start ?? 0) + (box.size ?? 0),
    }));
  }

  /** What mp4box complained of, if anything: the detail of an unreadable file's error. */
  problem(): string | undefined {
    return this.failure ?? this.diagnostics[0];
  }
}

/** mp4box describes a movie only after an `ftyp`: a plain ISO one stands in for the file's own. */
const STAND_IN_FTYP = Buffer.concat([
  Buffer.from([0, 0, 0, 16]),
  Buffer.from("ftypisom", "latin1"),
  Buffer.alloc(4),
]);

/** Reads a whole `moov` box (header included) on its own; undefined when mp4box cannot make a movie of it. */
export function readMovieBox(moov: Uint8Array): Movie | undefined {
  const parser = new MovieParser();
  try {
    parser.append(Buffer.concat([STAND_IN_FTYP, moov]), 0);
  } catch {
    return undefined;
  }
  return parser.movie;
}

/**
 * mp4box reports every atom it does not know (QuickTime user data such as ©swr) on console.error, and its
 * logger cannot be set below "error". appendBuffer is synchronous, so console.error is swapped for exactly
 * its duration and the lines are kept as diagnostics for an unreadable file's error.
 */
function quietly(file: ISOFile, buffer: MP4BoxBuffer, diagnostics: string[]): number {
  const original = console.error;
  console.error = (...parts: unknown[]) => {
    diagnostics.push(parts.slice(1).join(" "));
  };
  try {
    return file.appendBuffer(buffer);
  } finally {
    console.error = original;
  }
}

function copyOf(bytes: Uint8Array): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
