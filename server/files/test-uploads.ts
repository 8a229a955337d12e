import sharp from 'sharp';

/** Helpers for tests that send real multipart uploads to a running app and read files back. */

export interface FilePart {
  bytes: Uint8Array;
  name: string;
  /** The type the "browser" declares; the server must not trust it for images. */
  type?: string;
}

export interface UploadFields {
  clientId?: number | string;
  kind?: string;
  file?: FilePart;
}

export interface UploadAnswer {
  status: number;
  /** `{ id }` on success, `{ error: { code, message, field } }` on refusal. */
  body: { id?: number; error?: { code: string; message: string; field: string | null } };
}

/** POST /api/files the way the app's pages do: FormData with clientId, kind, then the file. */
export async function upload(
  url: string,
  cookie: string | null,
  fields: UploadFields,
  headers: Record<string, string> = { 'x-kartoteka-csrf': '1' },
): Promise<UploadAnswer> {
  const form = new FormData();
  if (fields.clientId !== undefined) form.append('clientId', String(fields.clientId));
  if (fields.kind !== undefined) form.append('kind', fields.kind);
  if (fields.file) {
    form.append(
      'file',
      new Blob([Uint8Array.from(fields.file.bytes)], { type: fields.file.type ?? '' }),
      fields.file.name,
    );
  }
  const response = await fetch(`${url}/api/files`, {
    method: 'POST',
    body: form,
    headers: { ...headers, ...(cookie ? { cookie } : {}) },
  });
  return { status: response.status, body: (await response.json()) as UploadAnswer['body'] };
}

/** GET /api/files/:id (or its thumbnail) with a session cookie. */
export function download(url: string, cookie: string | null, id: number, thumb = false): Promise<Response> {
  return fetch(`${url}/api/files/${id}${thumb ? '?size=thumb' : ''}`, { headers: cookie ? { cookie } : {} });
}

/** A real image of the given format and size, made by the image library. */
export function image(format: 'png' | 'jpeg' | 'webp' | 'gif', width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .toFormat(format)
    .toBuffer();
}

/** A real PNG stored without compression, so it weighs at least `bytes`. */
export function heavyPng(bytes: number): Promise<Buffer> {
  const side = Math.ceil(Math.sqrt(bytes / 3)) + 8;
  return sharp(Buffer.alloc(side * side * 3, 0x7f), { raw: { width: side, height: side, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}
