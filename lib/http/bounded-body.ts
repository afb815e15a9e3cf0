import "server-only";
import { bodyLimitFor } from "./body-limits";

/**
 * The one way a route handler reads its body: at most `limit` bytes (by default its route's entry
 * in lib/http/body-limits.ts), stopping the stream as soon as it is over, so nothing past the
 * limit is ever buffered. null means too large: answer 413.
 */
export async function readBoundedBody(request: Request, limit?: number): Promise<Buffer | null> {
  const max = limit ?? bodyLimitFor(new URL(request.url).pathname);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > max) return null;
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * A form body (urlencoded or multipart) read within the route's limit: "tooLarge", null when it
 * is not a form the platform can parse, else the FormData.
 */
export async function readBoundedForm(request: Request, limit?: number): Promise<FormData | "tooLarge" | null> {
  const bytes = await readBoundedBody(request, limit);
  if (bytes === null) return "tooLarge";
  const type = request.headers.get("content-type") ?? "";
  return new Response(new Uint8Array(bytes), { headers: { "Content-Type": type } }).formData().catch(() => null);
}
