/**
 * TEMPORARY: the API contract as a type-only router, used until server/app-router.ts exports AppRouter.
 * Only ever imported with `import type`, so none of it reaches the bundle.
 */
import { initTRPC } from '@trpc/server';
import superjson from 'superjson';
import { z } from 'zod';
import { clientListInputSchema } from '../../shared/client-schema';
import type { ClientStatus, Gender, Role, Salutation } from '../../shared/enums';

const t = initTRPC.create({ transformer: superjson });
const p = t.procedure;
const never = <T>(): T => {
  throw new Error('contract only');
};

interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  clientId: number | null;
}

interface ClientDto {
  id: number;
  salutation: Salutation | null;
  name: string;
  email: string | null;
  country: string | null;
  mobile: string | null;
  gender: Gender | null;
  language: string | null;
  categoryId: number | null;
  subcategoryId: number | null;
  status: ClientStatus;
  companyName: string | null;
  website: string | null;
  taxName: string | null;
  taxNumber: string | null;
  officePhone: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  companyAddress: string | null;
  shippingAddress: string | null;
  electronicAddress: string | null;
  electronicAddressScheme: string | null;
  loginAllowed: boolean;
  emailNotifications: boolean;
  photoFileId: number | null;
  logoFileId: number | null;
  createdAt: Date;
  updatedAt: Date;
  addedBy: { id: number; name: string } | null;
  version: number;
  deletedAt: Date | null;
}

interface ClientListItem {
  id: number;
  name: string;
  email: string | null;
  status: ClientStatus;
  createdAt: Date;
  companyName: string | null;
  mobile: string | null;
  country: string | null;
  categoryId: number | null;
  categoryName: string | null;
  photoFileId: number | null;
}

const ids = z.object({ ids: z.array(z.number()) });
const anyRecord = z.record(z.string(), z.unknown());

const contractRouter = t.router({
  auth: t.router({
    login: p.input(z.object({ email: z.string(), password: z.string() })).mutation(() => never<SessionUser>()),
    me: p.query(() => never<SessionUser | null>()),
    logout: p.mutation(() => never<{ ok: true }>()),
  }),
  clients: t.router({
    list: p.input(clientListInputSchema).query(() => never<{ items: ClientListItem[]; total: number }>()),
    get: p.input(z.object({ id: z.number() })).query(() => never<ClientDto>()),
    create: p.input(anyRecord).mutation(() => never<ClientDto>()),
    update: p
      .input(
        z.object({ id: z.number(), changes: z.record(z.string(), z.object({ base: z.unknown(), value: z.unknown() })) }),
      )
      .mutation(() =>
        never<{
          client: ClientDto;
          conflicts: { field: string; base: unknown; yours: unknown; theirs: unknown; by: string | null }[];
        }>(),
      ),
    setStatus: p.input(ids.extend({ status: z.enum(['active', 'inactive']) })).mutation(() => never<{ ok: true }>()),
    delete: p.input(ids).mutation(() => never<{ ok: true }>()),
    restore: p.input(ids).mutation(() => never<{ ok: true }>()),
  }),
  lookups: t.router({
    categories: p.query(() => never<{ id: number; name: string }[]>()),
    subcategories: p
      .input(z.object({ categoryId: z.number().optional() }).optional())
      .query(() => never<{ id: number; name: string; categoryId: number }[]>()),
    projects: p.query(() => never<{ id: number; name: string; clientId: number | null }[]>()),
    contractTypes: p.query(() => never<{ id: number; name: string }[]>()),
    createCategory: p.input(z.object({ name: z.string() })).mutation(() => never<{ id: number; name: string }>()),
    renameCategory: p.input(z.object({ id: z.number(), name: z.string() })).mutation(() => never<unknown>()),
    deleteCategory: p.input(z.object({ id: z.number() })).mutation(() => never<unknown>()),
    createSubcategory: p
      .input(z.object({ categoryId: z.number(), name: z.string() }))
      .mutation(() => never<{ id: number; name: string; categoryId: number }>()),
    renameSubcategory: p.input(z.object({ id: z.number(), name: z.string() })).mutation(() => never<unknown>()),
    deleteSubcategory: p.input(z.object({ id: z.number() })).mutation(() => never<unknown>()),
    createContractType: p.input(z.object({ name: z.string() })).mutation(() => never<{ id: number; name: string }>()),
    renameContractType: p.input(z.object({ id: z.number(), name: z.string() })).mutation(() => never<unknown>()),
    deleteContractType: p.input(z.object({ id: z.number() })).mutation(() => never<unknown>()),
  }),
});

export type AppRouter = typeof contractRouter;
