import easData from './data/peppol-eas.json';

/** A Peppol Electronic Address Scheme (EAS) code. */
export interface EasScheme {
  code: string;
  name: string;
  deprecated?: boolean;
  replacedBy?: string | null;
}

export const EAS_SCHEMES: readonly EasScheme[] = easData.codes;
const BY_CODE = new Map(EAS_SCHEMES.map((scheme) => [scheme.code, scheme]));

export function findEasScheme(code: string): EasScheme | undefined {
  return BY_CODE.get(code);
}

/** The schemes a user may pick: the deprecated ones are only kept to explain what replaces them. */
export const ACTIVE_EAS_SCHEMES: readonly EasScheme[] = EAS_SCHEMES.filter((scheme) => !scheme.deprecated);
