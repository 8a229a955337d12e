import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { FILE_KINDS } from '../../shared/files';
import { Client } from '../clients/entity';
import { User } from '../users/entity';

/**
 * File bytes live in the database so that every app instance can serve every file. The blobs are lazy: a
 * query loads them only when it asks for them by name, so listing files never reads their bytes.
 */
export const StoredFile = defineEntity({
  name: 'StoredFile',
  properties: {
    id: p.integer().primary(),
    clientId: () => p.manyToOne(Client).mapToPk().fieldName('client_id').index(),
    kind: p.enum([...FILE_KINDS]),
    fileName: p.string().length(255),
    mimeType: p.string().length(100),
    size: p.integer(),
    data: p.blob().lazy(),
    thumbnail: p.blob().nullable().lazy(),
    uploadedById: () => p.manyToOne(User).mapToPk().fieldName('uploaded_by_id').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type StoredFileEntity = InferEntity<typeof StoredFile>;
