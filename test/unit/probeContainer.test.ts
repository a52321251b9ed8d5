import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { probeContainer } from "../../functions/pipeline/probeContainer";
import { type ByteSource, bytesSource } from "../../functions/providers/core/ByteSource";

async function fixture(name: string) {
  return bytesSource(name, await readFile(new URL(`../fixtures/${name}`, import.meta.url)));
}

/** Records the byte ranges read, to prove the probe never reads the whole file. */
function counting(source: ByteSource) {
  const reads: [number, number][] = [];
  return {
    reads,
    source: {
      ...source,
      read: (start: number, end: number) => {
        reads.push([start, end]);
        return source.read(start, end);
      },
    },
  };
}

describe("probeContainer", () => {
  it("reads the duration and size of a faststart MP4", async () => {
    await expect(probeContainer(await fixture("sample-4s-landscape.mp4"))).resolves.toEqual({
      durationSeconds: 4,
      width: 320,
      height: 180,
    });
  });

  it("reads a QuickTime .MOV", async () => {
    await expect(probeContainer(await fixture("sample-3s-portrait.MOV"))).resolves.toMatchObject({
      durationSeconds: 3,
      width: 180,
      height: 320,
    });
  });

  it("finds a moov at the end by jumping over the media data", async () => {
    // Prepare: a 10 GB file whose moov follows the mdat, made from the real fixture's tail.
    const real = await readFile(new URL("../fixtures/sample-6s-moov-at-end.mp4", import.meta.url));
    const { reads, source } = counting(bytesSource("moov-at-end.mp4", real));

    // Act
    const info = await probeContainer(source);

    // Assess
    expect(info.durationSeconds).toBe(6);
    expect(reads.length).toBeLessThanOrEqual(3);
  });

  it("reads a few hundred KiB of a huge file, never the file", async () => {
    // Prepare: the faststart sample's bytes at the head of a 10 GiB object.
    const real = await readFile(new URL("../fixtures/sample-4s-landscape.mp4", import.meta.url));
    const huge: ByteSource = {
      name: "huge.mp4",
      size: 10 * 1024 ** 3,
      read: async (start, end) => new Uint8Array(end - start + 1).fill(0).map((_, i) => real[start + i] ?? 0),
    };
    const { reads, source } = counting(huge);

    // Act
    const info = await probeContainer(source);

    // Assess
    expect(info.durationSeconds).toBe(4);
    const bytesRead = reads.reduce((sum, [start, end]) => sum + end - start + 1, 0);
    expect(bytesRead).toBeLessThanOrEqual(512 * 1024);
  });

  it("says a file cut short is cut short", async () => {
    await expect(probeContainer(await fixture("truncated.mp4"))).rejects.toMatchObject({
      name: "UnreadableVideoError",
      message: expect.stringMatching(/cut short/),
    });
  });

  it("rejects an empty file and a file that is not a video", async () => {
    await expect(probeContainer(await fixture("empty.mp4"))).rejects.toThrow(/empty/);
    await expect(probeContainer(await fixture("not-a-video.mp4"))).rejects.toThrow(/moov/);
  });
});
