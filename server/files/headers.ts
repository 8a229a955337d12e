/** How a stored file is described to the browser that downloads it. */

/**
 * `Content-Disposition` with the name twice (RFC 6266): an ASCII-only fallback in `filename` and the exact name,
 * UTF-8 percent-encoded, in `filename*` (RFC 5987). Quotes, backslashes and control characters can never break
 * out of the header.
 */
export function contentDisposition(disposition: 'attachment' | 'inline', fileName: string): string {
  const fallback =
    fileName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\x20-\x7e]|["\\%]/g, '_') || 'file';
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

// Types a browser shows as inert content. Anything else (HTML, SVG, XML, scripts...) goes out as plain bytes.
const PASSIVE_TYPES = new Set([
  'application/pdf',
  'application/zip',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/rtf',
  'text/plain',
  'text/csv',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'audio/mpeg',
  'video/mp4',
]);
const PASSIVE_PREFIXES = ['application/vnd.openxmlformats-officedocument.', 'application/vnd.oasis.opendocument.'];

/**
 * The Content-Type a document is downloaded with: the type the uploader's browser declared when it is an inert
 * one, else application/octet-stream, so no document is ever treated as a page or a script.
 */
export function documentContentType(declared: string): string {
  const passive = PASSIVE_TYPES.has(declared) || PASSIVE_PREFIXES.some((prefix) => declared.startsWith(prefix));
  return passive ? declared : 'application/octet-stream';
}
