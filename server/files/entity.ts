import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Client } from '../clients/entity';
import { User } from '../users/entity';

export const FILE_KINDS = ['photo', 'logo', 'document'] as const;

/** File bytes live in the database so that every app instance can serve every file. */
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
