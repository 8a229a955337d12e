import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fileUrl } from './upload';

/**
 * A client's photo thumbnail as a round avatar; the name's initial when there is none (or it fails to load).
 * `alt` names the picture where it is the only one (the card's head); in a list next to the name it is decoration.
 */
export function ClientAvatar({
  name,
  photoFileId,
  large = false,
  alt = '',
}: {
  name: string;
  photoFileId: number | null;
  large?: boolean;
  alt?: string;
}) {
  const [failedId, setFailedId] = useState<number | null>(null);
  const className = large ? 'avatar avatar-large' : 'avatar';
  if (photoFileId !== null && photoFileId !== failedId) {
    return (
      <img
        className={`${className} avatar-photo`}
        src={fileUrl(photoFileId, 'thumb')}
        alt={alt}
        loading="lazy"
        onError={() => setFailedId(photoFileId)}
      />
    );
  }
  return (
    <span className={className} aria-hidden="true">
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}

/** The company logo's thumbnail, shown next to the company name. */
export function CompanyLogo({ logoFileId, companyName }: { logoFileId: number | null; companyName: string | null }) {
  const { t } = useTranslation();
  if (logoFileId === null) return null;
  return (
    <img
      className="company-logo"
      src={fileUrl(logoFileId, 'thumb')}
      alt={companyName ? t('files.logoOf', { name: companyName }) : t('files.logo')}
    />
  );
}
