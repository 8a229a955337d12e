import type { Role } from './enums';
import type { Locale, Localized } from './locale';
import { can } from './permissions';

/** The rules for a client's files, used by the upload controls (before sending) and the server (the final word). */

export const FILE_KINDS = ['photo', 'logo', 'document'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

/** The kinds that are a picture on the card; each client has at most one of each. */
export const IMAGE_KINDS = ['photo', 'logo'] as const satisfies readonly FileKind[];
export type ImageKind = (typeof IMAGE_KINDS)[number];

export function isImageKind(kind: FileKind): kind is ImageKind {
  return kind !== 'document';
}

/** The client field that points at each image kind. */
export const IMAGE_FIELDS = { photo: 'photoFileId', logo: 'logoFileId' } as const satisfies Record<ImageKind, string>;

const MB = 1024 * 1024;
export const FILE_SIZE_LIMITS: Record<FileKind, number> = { photo: 5 * MB, logo: 5 * MB, document: 20 * MB };

/** The only image formats accepted for a photo or logo, checked by their bytes on the server. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const FILE_KIND_LABELS: Record<FileKind, Localized> = {
  photo: { en: 'Profile photo', pl: 'Zdjęcie profilowe' },
  logo: { en: 'Company logo', pl: 'Logo firmy' },
  document: { en: 'Document', pl: 'Dokument' },
};

/**
 * Documents may be deleted by whoever uploaded them or by an administrator. A photo or logo is part of the
 * card: whoever may edit the card may replace or remove it.
 */
export function mayDeleteFile(
  user: { id: number; role: Role },
  file: { kind: FileKind; uploadedById: number | null },
): boolean {
  if (!can(user.role, 'clients.write')) return false;
  if (isImageKind(file.kind)) return true;
  return (file.uploadedById !== null && file.uploadedById === user.id) || can(user.role, 'files.moderate');
}

/** The upload's multipart fields, in the order they must be sent (the file last: it is read as it arrives). */
export const UPLOAD_FIELDS = ['clientId', 'kind', 'file'] as const;
export type UploadField = (typeof UPLOAD_FIELDS)[number];

/**
 * Why an upload was refused, with the HTTP status the server answers and the words in every UI language.
 * The server answers `{ error: { code, message, field } }` in English; the browser words the same code in the
 * user's language at the control that sent the file.
 */
const UPLOAD_ERRORS = {
  CSRF: {
    status: 403,
    en: 'Missing the x-kartoteka-csrf header: requests must come from the app.',
    pl: 'Brak nagłówka x-kartoteka-csrf: żądania muszą pochodzić z aplikacji.',
  },
  UNAUTHORIZED: { status: 401, en: 'Sign in first.', pl: 'Najpierw się zaloguj.' },
  FORBIDDEN: {
    status: 403,
    en: 'Your role may not add or change files.',
    pl: 'Twoja rola nie pozwala dodawać ani zmieniać plików.',
  },
  NOT_MULTIPART: {
    status: 415,
    en: 'Send the upload as multipart/form-data with the fields clientId, kind and file.',
    pl: 'Wyślij plik jako multipart/form-data z polami clientId, kind i file.',
  },
  MISSING_FIELD: {
    status: 400,
    en: 'The field "{field}" is missing: send clientId and kind before the file.',
    pl: 'Brak pola „{field}”: wyślij clientId i kind przed plikiem.',
  },
  INVALID_CLIENT_ID: {
    status: 400,
    en: 'The field "clientId" must be a client\'s id (a positive whole number), not "{value}".',
    pl: 'Pole „clientId” musi być identyfikatorem klienta (dodatnią liczbą całkowitą), a nie „{value}”.',
  },
  INVALID_KIND: {
    status: 400,
    en: 'The field "kind" must be photo, logo or document, not "{value}".',
    pl: 'Pole „kind” musi mieć wartość photo, logo lub document, a nie „{value}”.',
  },
  UNKNOWN_FIELD: {
    status: 400,
    en: 'Unexpected field "{field}": send only clientId, kind and file.',
    pl: 'Nieoczekiwane pole „{field}”: wyślij tylko clientId, kind i file.',
  },
  DUPLICATE_FIELD: {
    status: 400,
    en: 'The field "{field}" was sent twice; send it once.',
    pl: 'Pole „{field}” wysłano dwa razy; wyślij je raz.',
  },
  TOO_MANY_FIELDS: {
    status: 400,
    en: 'The upload holds more parts than clientId, kind and one file.',
    pl: 'Przesyłka zawiera więcej części niż clientId, kind i jeden plik.',
  },
  TOO_MANY_FILES: {
    status: 400,
    en: 'Send one file per upload.',
    pl: 'Wyślij jeden plik naraz.',
  },
  NO_FILE: { status: 400, en: 'No file was sent: choose a file.', pl: 'Nie wysłano pliku: wybierz plik.' },
  EMPTY_FILE: { status: 400, en: 'The file "{name}" is empty.', pl: 'Plik „{name}” jest pusty.' },
  FILE_TOO_LARGE: {
    status: 413,
    en: '{kind} can be at most {limit}; "{name}" is larger.',
    pl: '{kind} może mieć najwyżej {limit}; plik „{name}” jest większy.',
  },
  NOT_AN_IMAGE: {
    status: 415,
    en: '{kind} must be a PNG, JPEG, WebP or GIF image; "{name}" is not one.',
    pl: '{kind}: wymagany obraz PNG, JPEG, WebP lub GIF; „{name}” nim nie jest.',
  },
  SVG_NOT_ALLOWED: {
    status: 415,
    en: '{kind} cannot be an SVG image (it can carry scripts); upload a PNG, JPEG, WebP or GIF.',
    pl: '{kind} nie może być obrazem SVG (może zawierać skrypty); wyślij PNG, JPEG, WebP lub GIF.',
  },
  DAMAGED_IMAGE: {
    status: 400,
    en: '"{name}" could not be read as an image: it is damaged or incomplete.',
    pl: 'Nie udało się odczytać obrazu „{name}”: jest uszkodzony lub niekompletny.',
  },
  IMAGE_TOO_MANY_PIXELS: {
    status: 400,
    en: '"{name}" is too large in pixels; use an image of at most {megapixels} megapixels.',
    pl: 'Obraz „{name}” ma za dużo pikseli; użyj obrazu o najwyżej {megapixels} megapikselach.',
  },
} as const satisfies Record<string, Localized & { status: number }>;

export type UploadErrorCode = keyof typeof UPLOAD_ERRORS;

export function isUploadErrorCode(code: unknown): code is UploadErrorCode {
  return typeof code === 'string' && Object.hasOwn(UPLOAD_ERRORS, code);
}

export function uploadErrorStatus(code: UploadErrorCode): number {
  return UPLOAD_ERRORS[code].status;
}

/** The largest picture (in pixels) the server decodes: a small file can unpack into a huge one. */
export const MAX_IMAGE_MEGAPIXELS = 50;

export interface UploadErrorParams {
  kind?: FileKind;
  name?: string;
  field?: string;
  value?: string;
}

export function formatFileSize(bytes: number, locale: Locale): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/** The reason in words; `kind` also fills in the size limit that applies to it. */
export function uploadErrorMessage(code: UploadErrorCode, params: UploadErrorParams, locale: Locale): string {
  const values: Record<string, string> = {
    kind: params.kind ? FILE_KIND_LABELS[params.kind][locale] : FILE_KIND_LABELS.document[locale],
    limit: formatFileSize(FILE_SIZE_LIMITS[params.kind ?? 'document'], locale),
    name: params.name ?? '',
    field: params.field ?? '',
    value: params.value ?? '',
    megapixels: String(MAX_IMAGE_MEGAPIXELS),
  };
  return UPLOAD_ERRORS[code][locale].replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
