import type { WebWritableStream } from "./web-streams.js";

/**
 * Writes `bytes` to a Web WritableStream (taking and releasing its writer) and resolves once
 * the stream accepted them; rejects with the stream's error.
 */
export async function writeToWebStream(stream: WebWritableStream, bytes: Uint8Array): Promise<void> {
  const writer = stream.getWriter();
  try {
    await writer.ready;
    await writer.write(bytes);
  } finally {
    writer.releaseLock();
  }
}
