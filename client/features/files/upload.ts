import {
  FILE_SIZE_LIMITS,
  type FileKind,
  isUploadErrorCode,
  type UploadErrorCode,
  uploadErrorMessage,
} from '../../../shared/files';
import type { Locale } from '../../../shared/locale';
import { queryClient, trpc } from '../../lib/trpc';

/** Where a stored file (or its thumbnail, for a photo or logo) is served. */
export function fileUrl(id: number, size?: 'thumb'): string {
  return `/api/files/${id}${size ? `?size=${size}` : ''}`;
}

/** An upload that did not happen, with the reason in the user's language. */
export class UploadFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** The client's own check before sending (the server checks again, and has the last word). */
export function checkBeforeUpload(file: File, kind: FileKind, locale: Locale): UploadFailure | null {
  const refuse = (code: UploadErrorCode) =>
    new UploadFailure(uploadErrorMessage(code, { kind, name: file.name }, locale), code);
  if (file.size === 0) return refuse('EMPTY_FILE');
  if (file.size > FILE_SIZE_LIMITS[kind]) return refuse('FILE_TOO_LARGE');
  return null;
}

interface ErrorAnswer {
  error?: { code?: unknown; message?: unknown };
}

/**
 * Sends one file to POST /api/files, reporting progress (0..1) as it goes. XMLHttpRequest rather than fetch:
 * only it reports upload progress. Resolves with the new file's id; rejects with an UploadFailure worded in the
 * user's language (the server's own words for a reason the client does not know).
 */
export function uploadFile(options: {
  clientId: number;
  kind: FileKind;
  file: File;
  locale: Locale;
  onProgress?: (fraction: number) => void;
  messages: { network: string; unexpected: string };
}): Promise<{ id: number }> {
  const { clientId, kind, file, locale, onProgress, messages } = options;
  const early = checkBeforeUpload(file, kind, locale);
  if (early) return Promise.reject(early);
  const form = new FormData();
  // The server reads the fields before the file: the order matters.
  form.append('clientId', String(clientId));
  form.append('kind', kind);
  form.append('file', file, file.name);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/files');
    request.setRequestHeader('x-kartoteka-csrf', '1');
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    request.onerror = () => reject(new UploadFailure(messages.network, 'NETWORK'));
    request.onload = () => {
      const body = request.response as ({ id?: unknown } & ErrorAnswer) | null;
      if (request.status === 201 && typeof body?.id === 'number') {
        onProgress?.(1);
        resolve({ id: body.id });
        return;
      }
      const code = body?.error?.code;
      if (code === 'UNAUTHORIZED') queryClient.setQueryData(trpc.auth.me.queryKey(), null);
      const message = isUploadErrorCode(code)
        ? uploadErrorMessage(code, { kind, name: file.name }, locale)
        : typeof body?.error?.message === 'string'
          ? body.error.message
          : messages.unexpected;
      reject(new UploadFailure(message, typeof code === 'string' ? code : `HTTP_${request.status}`));
    };
    request.send(form);
  });
}

/** After a photo or logo changed: the card and the list show the new picture. */
export function refreshClient(clientId: number): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: trpc.clients.get.queryKey({ id: clientId }) }),
    queryClient.invalidateQueries({ queryKey: trpc.clients.list.pathKey() }),
  ]);
}

/** After a document was added or removed. */
export function refreshDocuments(clientId: number): Promise<unknown> {
  return queryClient.invalidateQueries({ queryKey: trpc.files.list.queryKey({ clientId }) });
}
