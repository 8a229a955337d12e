import type { EditableClientField } from '../../shared/client-fields';
import type { ClientRecord } from '../../shared/client-schema';
import type { ClientEntity } from './entity';

/** A client as the API returns it: plain data (superjson keeps the Dates), never the ORM entity. */
export type ClientDto = ClientRecord & {
  id: number;
  photoFileId: number | null;
  logoFileId: number | null;
  createdAt: Date;
  updatedAt: Date;
  addedBy: { id: number; name: string } | null;
  version: number;
  deletedAt: Date | null;
};

export interface ClientListItem {
  id: number;
  name: string;
  email: string | null;
  status: ClientRecord['status'];
  createdAt: Date;
  companyName: string | null;
  mobile: string | null;
  country: string | null;
  categoryId: number | null;
  categoryName: string | null;
  photoFileId: number | null;
}

/** The editable fields of a stored client, as a record the shared schema understands. */
export function recordOf(client: ClientEntity): ClientRecord {
  return {
    salutation: client.salutation ?? null,
    name: client.name,
    email: client.email ?? null,
    country: client.country ?? null,
    mobile: client.mobile ?? null,
    gender: client.gender ?? null,
    language: client.language ?? null,
    categoryId: client.categoryId ?? null,
    subcategoryId: client.subcategoryId ?? null,
    status: client.status,
    companyName: client.companyName ?? null,
    website: client.website ?? null,
    taxName: client.taxName ?? null,
    taxNumber: client.taxNumber ?? null,
    officePhone: client.officePhone ?? null,
    city: client.city ?? null,
    state: client.state ?? null,
    postalCode: client.postalCode ?? null,
    companyAddress: client.companyAddress ?? null,
    shippingAddress: client.shippingAddress ?? null,
    electronicAddress: client.electronicAddress ?? null,
    electronicAddressScheme: client.electronicAddressScheme ?? null,
    loginAllowed: client.loginAllowed,
    emailNotifications: client.emailNotifications,
  } satisfies Record<EditableClientField, unknown>;
}

export function toClientDto(client: ClientEntity, addedBy: { id: number; name: string } | null): ClientDto {
  return {
    id: client.id,
    ...recordOf(client),
    photoFileId: client.photoFileId ?? null,
    logoFileId: client.logoFileId ?? null,
    createdAt: client.createdAt,
    updatedAt: client.updatedAt,
    addedBy,
    version: client.version,
    deletedAt: client.deletedAt ?? null,
  };
}
