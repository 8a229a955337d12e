import { z } from 'zod';
import { contractSubjectSchema, contractTypeIdSchema, projectNameSchema } from '../../shared/projects';
import { allowed, router } from '../trpc';
import {
  addContract,
  addProject,
  deleteContract,
  deleteProject,
  listContracts,
  listProjects,
  renameProject,
  updateContract,
} from './service';

const id = z.number().int().positive();
const read = allowed('projects.read');
// Projects and contracts are part of a client's record: whoever edits clients manages them.
const write = allowed('clients.write');

export const projectsRouter = router({
  /** One client's projects; without clientId, every listed client's projects (the list's project filter). */
  list: read
    .input(z.object({ clientId: id.optional() }).optional())
    .query(({ ctx, input }) => listProjects(ctx.em, ctx.actor, input?.clientId)),
  add: write
    .input(z.object({ clientId: id, name: projectNameSchema }))
    .mutation(({ ctx, input }) => addProject(ctx.em, ctx.actor, input)),
  rename: write
    .input(z.object({ id, name: projectNameSchema }))
    .mutation(({ ctx, input }) => renameProject(ctx.em, ctx.actor, input)),
  delete: write.input(z.object({ id })).mutation(({ ctx, input }) => deleteProject(ctx.em, ctx.actor, input.id)),
});

export const contractsRouter = router({
  list: read
    .input(z.object({ clientId: id }))
    .query(({ ctx, input }) => listContracts(ctx.em, ctx.actor, input.clientId)),
  add: write
    .input(z.object({ clientId: id, typeId: contractTypeIdSchema, subject: contractSubjectSchema }))
    .mutation(({ ctx, input }) => addContract(ctx.em, ctx.actor, input)),
  update: write
    .input(z.object({ id, typeId: contractTypeIdSchema.optional(), subject: contractSubjectSchema.optional() }))
    .mutation(({ ctx, input }) => updateContract(ctx.em, ctx.actor, input)),
  delete: write.input(z.object({ id })).mutation(({ ctx, input }) => deleteContract(ctx.em, ctx.actor, input.id)),
});
