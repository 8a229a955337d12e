import type { Localized } from './locale';

/** The client fields a user can edit, in the order the card shows them, grouped by section. */
export const CLIENT_SECTIONS = {
  account: [
    'salutation',
    'name',
    'email',
    'country',
    'mobile',
    'gender',
    'language',
    'categoryId',
    'subcategoryId',
    'status',
  ],
  company: ['companyName', 'website', 'taxName', 'taxNumber', 'officePhone'],
  addresses: ['city', 'state', 'postalCode', 'companyAddress', 'shippingAddress'],
  eInvoicing: ['electronicAddressScheme', 'electronicAddress'],
  access: ['loginAllowed', 'emailNotifications'],
} as const;

export type ClientSection = keyof typeof CLIENT_SECTIONS;
export type EditableClientField = (typeof CLIENT_SECTIONS)[ClientSection][number];
export const EDITABLE_CLIENT_FIELDS = Object.values(CLIENT_SECTIONS).flat() as EditableClientField[];

export const SECTION_LABELS: Record<ClientSection, Localized> = {
  account: { en: 'Account', pl: 'Konto' },
  company: { en: 'Company', pl: 'Firma' },
  addresses: { en: 'Addresses', pl: 'Adresy' },
  eInvoicing: { en: 'E-invoicing', pl: 'E-fakturowanie' },
  access: { en: 'Access and notifications', pl: 'Dostęp i powiadomienia' },
};

/** Field names as DESIGN.md writes them: the form's labels, the list's headers and the errors' subjects. */
export const FIELD_LABELS: Record<
  EditableClientField | 'createdAt' | 'addedBy' | 'photoFileId' | 'logoFileId',
  Localized
> = {
  salutation: { en: 'Salutation', pl: 'Zwrot grzecznościowy' },
  name: { en: 'Full name', pl: 'Imię i nazwisko' },
  email: { en: 'E-mail', pl: 'E-mail' },
  country: { en: 'Country', pl: 'Kraj' },
  mobile: { en: 'Mobile phone', pl: 'Telefon komórkowy' },
  gender: { en: 'Gender', pl: 'Płeć' },
  language: { en: 'Language', pl: 'Język' },
  categoryId: { en: 'Category', pl: 'Kategoria' },
  subcategoryId: { en: 'Sub-category', pl: 'Podkategoria' },
  status: { en: 'Status', pl: 'Status' },
  companyName: { en: 'Company name', pl: 'Nazwa firmy' },
  website: { en: 'Official website', pl: 'Oficjalna strona internetowa' },
  taxName: { en: 'Tax name', pl: 'Nazwa podatku' },
  taxNumber: { en: 'Tax number', pl: 'Numer podatkowy' },
  officePhone: { en: 'Office phone', pl: 'Telefon biurowy' },
  city: { en: 'City', pl: 'Miasto' },
  state: { en: 'State/region', pl: 'Województwo/region' },
  postalCode: { en: 'Postal code', pl: 'Kod pocztowy' },
  companyAddress: { en: 'Company address', pl: 'Adres firmy' },
  shippingAddress: { en: 'Shipping address', pl: 'Adres wysyłki' },
  electronicAddressScheme: { en: 'Electronic address scheme', pl: 'Schemat adresu elektronicznego' },
  electronicAddress: { en: 'Electronic address', pl: 'Adres elektroniczny' },
  loginAllowed: { en: 'Login allowed', pl: 'Logowanie dozwolone' },
  emailNotifications: { en: 'E-mail notifications', pl: 'Powiadomienia e-mail' },
  createdAt: { en: 'Created at', pl: 'Utworzono' },
  addedBy: { en: 'Added by', pl: 'Dodane przez' },
  photoFileId: { en: 'Profile photo', pl: 'Zdjęcie profilowe' },
  logoFileId: { en: 'Company logo', pl: 'Logo firmy' },
};
