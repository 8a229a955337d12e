import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { ROLES } from '../../shared/enums';
import { Client } from '../clients/entity';

export const User = defineEntity({
  name: 'User',
  tableName: 'app_user',
  properties: {
    id: p.integer().primary(),
    email: p.string().length(254).unique(),
    name: p.string().length(200),
    role: p.enum([...ROLES]),
    passwordHash: p.string().length(255).hidden(),
    active: p.boolean().default(true),
    // Set for portal accounts: the one client this user is.
    clientId: () => p.manyToOne(Client).mapToPk().fieldName('client_id').nullable().index(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type UserEntity = InferEntity<typeof User>;
