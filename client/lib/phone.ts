// Apart from format.ts: libphonenumber's metadata is large, and only the card (loaded on demand) shows phones.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** A stored E.164 number as people read it: "+48601234567" -> "+48 601 234 567". */
export function formatPhone(value: string | null | undefined): string {
  if (!value) return '';
  return parsePhoneNumberFromString(value)?.formatInternational() ?? value;
}
