import type { IncomingMessage } from 'node:http';

/** The largest form body read, in bytes. Every admin form is far smaller. */
export const MAX_FORM_BYTES = 64 * 1024;

/** Why a body could not be read as a form. */
export type FormBodyProblem = 'unsupported-media-type' | 'too-large' | 'unreadable';

/** A read form, or why not. */
export type FormBodyResult = { readonly ok: true; readonly form: URLSearchParams } | { readonly ok: false; readonly problem: FormBodyProblem };

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** A body that a framework already parsed (Express's `express.urlencoded()`), as search params. */
function fromParsedBody(body: unknown): URLSearchParams | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const entry of values) {
      if (typeof entry !== 'string') return null;
      form.append(name, entry);
    }
  }
  return form;
}

/**
 * Reads an `application/x-www-form-urlencoded` body of at most
 * {@link MAX_FORM_BYTES}. A body that Express already parsed (the stream is
 * consumed and `req.body` is an object of strings) is used as it is.
 */
export async function readFormBody(req: IncomingMessage): Promise<FormBodyResult> {
  if (!FORM_TYPE.test(req.headers['content-type'] ?? '')) return { ok: false, problem: 'unsupported-media-type' };
  if (req.readableEnded) {
    const parsed = fromParsedBody((req as IncomingMessage & { body?: unknown }).body);
    return parsed === null ? { ok: false, problem: 'unreadable' } : { ok: true, form: parsed };
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_FORM_BYTES) return { ok: false, problem: 'too-large' };
  const body = await collect(req);
  if (typeof body === 'string') return { ok: false, problem: body };
  return { ok: true, form: new URLSearchParams(body.toString('utf8')) };
}

/**
 * Collects the body, or stops at {@link MAX_FORM_BYTES}. It never destroys
 * the request: Node discards what is left once the response has been sent,
 * so the answer (413) still reaches the client.
 */
function collect(req: IncomingMessage): Promise<Buffer | 'too-large' | 'unreadable'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: Buffer | 'too-large' | 'unreadable') => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      resolve(outcome);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buffer.length;
      if (size > MAX_FORM_BYTES) {
        req.pause();
        finish('too-large');
        return;
      }
      chunks.push(buffer);
    };
    const onEnd = () => finish(Buffer.concat(chunks));
    const onError = () => finish('unreadable');
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
