import { describe, expect, it } from "vitest";
import { type NumberedLine, numberedLines } from "../../../functions/imports/numberedLines";

async function linesOf(...chunks: number[][]): Promise<NumberedLine[]> {
  const lines: NumberedLine[] = [];
  for await (const line of numberedLines(
    (async function* () {
      for (const chunk of chunks) yield Uint8Array.from(chunk);
    })(),
  )) {
    lines.push(line);
  }
  return lines;
}

const bytes = (text: string) => [...new TextEncoder().encode(text)];

describe("numberedLines", () => {
  it("joins a character and a CRLF split across chunks, and drops only the first line's BOM", async () => {
    // Prepare: "é" is C3 A9, cut between chunks; a CR ends one chunk and its LF starts the next.
    const first = [0xef, 0xbb, 0xbf, ...bytes("caf"), 0xc3];
    const second = [0xa9, 0x0d];
    const third = [0x0a, 0xef, 0xbb, 0xbf, ...bytes("x\ry")];

    // Act
    const lines = await linesOf(first, second, third);

    // Assess
    expect(lines).toEqual([
      { line: 1, text: "café" },
      { line: 2, text: "\uFEFFx" },
      { line: 3, text: "y" },
    ]);
  });

  it("marks a line that is not UTF-8 with the byte and its offset, and reads on", async () => {
    // Act
    const lines = await linesOf([...bytes("ok\ncaf"), 0xe9, ...bytes("\nnext")]);

    // Assess
    expect(lines[1]).toEqual({
      line: 2,
      text: "caf\uFFFD",
      notUtf8: {
        problem: "line 2 is not UTF-8 text: byte 0xE9 at offset 3 is not valid UTF-8",
        value: "0xE9",
      },
    });
    expect(lines[2]).toEqual({ line: 3, text: "next" });
  });
});
