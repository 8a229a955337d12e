import sharp, { type ResizeOptions, type SharpOptions } from 'sharp';
import { type ImageKind, type ImageType, MAX_IMAGE_MEGAPIXELS } from '../../shared/files';
import { UploadError } from './upload-error';

/** What the first bytes of a file say it is; only the accepted raster formats and SVG (to refuse it by name). */
export function sniffImageType(bytes: Buffer): ImageType | 'svg' | null {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) {
    return 'image/gif';
  }
  if (bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  const head = bytes
    .toString('utf8', 0, 1024)
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('<') && head.includes('<svg')) return 'svg';
  return null;
}

const SHARP_FORMATS: Record<ImageType, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

// A photo becomes a square avatar; a logo keeps its shape inside a wide box and is never enlarged.
const THUMBNAILS: Record<ImageKind, ResizeOptions> = {
  photo: { width: 256, height: 256, fit: 'cover' },
  logo: { width: 320, height: 160, fit: 'inside', withoutEnlargement: true },
};

export interface VerifiedImage {
  mimeType: ImageType;
  /** A small WebP re-encoded by us: the only image bytes the card and the list show. */
  thumbnail: Buffer;
}

/**
 * Accepts a photo or logo only when its bytes are a PNG, JPEG, WebP or GIF and it decodes completely: the
 * thumbnail is made by decoding every pixel, so a truncated or damaged file is refused here. The file's name and
 * the browser's declared type are never consulted.
 */
export async function verifyImage(bytes: Buffer, kind: ImageKind, name: string): Promise<VerifiedImage> {
  const type = sniffImageType(bytes);
  if (type === 'svg') throw new UploadError('SVG_NOT_ALLOWED', 'file', { kind, name });
  if (!type) throw new UploadError('NOT_AN_IMAGE', 'file', { kind, name });
  const options: SharpOptions = { failOn: 'error', limitInputPixels: MAX_IMAGE_MEGAPIXELS * 1_000_000 };
  try {
    const { format } = await sharp(bytes, options).metadata();
    if (format !== SHARP_FORMATS[type]) throw new UploadError('NOT_AN_IMAGE', 'file', { kind, name });
    const thumbnail = await sharp(bytes, options)
      .rotate() // honour the camera's orientation tag before cropping
      .resize(THUMBNAILS[kind])
      .webp({ quality: 82 })
      .toBuffer();
    return { mimeType: type, thumbnail };
  } catch (error) {
    if (error instanceof UploadError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(reason)) throw new UploadError('IMAGE_TOO_MANY_PIXELS', 'file', { kind, name });
    throw new UploadError('DAMAGED_IMAGE', 'file', { kind, name });
  }
}
