import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { type ContractInput, unknownContractType } from '../../shared/projects';
import { clientOpenForChanges, rowChanges } from '../activity/client-rows';
import { type RecordEvent, writeWithEvents } from '../activity/write-path';
import type { Actor } from '../auth/actor';
import { Client } from '../clients/entity';
import { getClient } from '../clients/service';
import { NotFoundError, ValidationError } from '../errors';
import { Contract, type ContractEntity, ContractType, Project, type ProjectEntity } from '../lookups/entity';

/** A client's projects and contracts: rows of their own, changed only through the one write path. */

export interface ProjectDto {
  id: number;
  clientId: number;
  clientName: string;
  name: string;
  createdAt: Date;
}

export interface ContractDto {
  id: number;
  clientId: number;
  typeId: number;
  typeName: string;
  subject: string;
  createdAt: Date;
}

const openForProjects = (em: EntityManager, actor: Actor, clientId: number) =>
  clientOpenForChanges(em, actor, clientId, 'its projects or contracts');

function toProjectDto(row: ProjectEntity, clientName: string): ProjectDto {
  return { id: row.id, clientId: row.clientId, clientName, name: row.name, createdAt: row.createdAt };
}

// Locked for the rest of the transaction, so the event's "before" is what was really replaced.
async function findProject(tx: EntityManager, id: number): Promise<ProjectEntity> {
  const row = await tx.findOne(Project, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!row) throw new NotFoundError(`Project ${id} does not exist.`);
  return row;
}

/**
 * One client's projects by name, or, without a client, the projects of every client in the list (for the
 * list's project filter), each with its client's name.
 */
export async function listProjects(em: EntityManager, actor: Actor, clientId?: number): Promise<ProjectDto[]> {
  const order = { orderBy: { name: 'asc', id: 'asc' } } as const;
  if (clientId !== undefined) {
    const client = await getClient(em, actor, clientId);
    return (await em.find(Project, { clientId }, order)).map((row) => toProjectDto(row, client.name));
  }
  const rows = await em.find(Project, {}, order);
  const clients = await em.find(
    Client,
    { id: { $in: [...new Set(rows.map((row) => row.clientId))] }, deletedAt: null },
    { fields: ['id', 'name'] },
  );
  const names = new Map(clients.map((client) => [client.id, client.name]));
  return rows.flatMap((row) => {
    const name = names.get(row.clientId);
    return name === undefined ? [] : [toProjectDto(row, name)];
  });
}

/**
 * Writes a new project and its project.added event inside a write-path transaction. The caller has checked
 * the client (addProject for people; the demo data for itself).
 */
export async function insertProject(
  tx: EntityManager,
  record: RecordEvent,
  clientId: number,
  name: string,
): Promise<ProjectEntity> {
  const project = tx.create(Project, { clientId, name, createdAt: new Date() });
  await tx.flush(); // the event names the project by its id
  record({ clientId, type: 'project.added', changes: rowChanges(project.id, null, { name }) });
  return project;
}

export async function addProject(
  em: EntityManager,
  actor: Actor,
  input: { clientId: number; name: string },
): Promise<ProjectDto> {
  return writeWithEvents(em, actor, async (tx, record) => {
    const client = await openForProjects(tx, actor, input.clientId);
    return toProjectDto(await insertProject(tx, record, input.clientId, input.name), client.name);
  });
}

export async function renameProject(
  em: EntityManager,
  actor: Actor,
  input: { id: number; name: string },
): Promise<ProjectDto> {
  return writeWithEvents(em, actor, async (tx, record) => {
    const found = await findProject(tx, input.id);
    const client = await openForProjects(tx, actor, found.clientId);
    if (found.name !== input.name) {
      record({
        clientId: found.clientId,
        type: 'project.renamed',
        changes: rowChanges(found.id, { name: found.name }, { name: input.name }),
      });
      found.name = input.name;
    }
    return toProjectDto(found, client.name);
  });
}

export async function deleteProject(em: EntityManager, actor: Actor, id: number): Promise<{ id: number }> {
  await writeWithEvents(em, actor, async (tx, record) => {
    const found = await findProject(tx, id);
    await openForProjects(tx, actor, found.clientId);
    record({ clientId: found.clientId, type: 'project.deleted', changes: rowChanges(id, { name: found.name }, null) });
    tx.remove(found);
  });
  return { id };
}

// --- Contracts ----------------------------------------------------------------------------------------

async function typeNames(em: EntityManager, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const types = await em.find(ContractType, { id: { $in: [...new Set(ids)] } });
  return new Map(types.map((type) => [type.id, type.name]));
}

async function toContractDtos(em: EntityManager, rows: ContractEntity[]): Promise<ContractDto[]> {
  const names = await typeNames(
    em,
    rows.map((row) => row.typeId),
  );
  return rows.map((row) => ({
    id: row.id,
    clientId: row.clientId,
    typeId: row.typeId,
    // A contract keeps its type (deleting a type in use is refused), so the name is always there.
    typeName: names.get(row.typeId) ?? '',
    subject: row.subject,
    createdAt: row.createdAt,
  }));
}

async function toContractDto(em: EntityManager, row: ContractEntity): Promise<ContractDto> {
  const [dto] = await toContractDtos(em, [row]);
  return dto as ContractDto;
}

// Locked for the rest of the transaction, like findProject.
async function findContract(tx: EntityManager, id: number): Promise<ContractEntity> {
  const row = await tx.findOne(Contract, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!row) throw new NotFoundError(`Contract ${id} does not exist.`);
  return row;
}

async function assertTypeExists(em: EntityManager, typeId: number): Promise<void> {
  if (!(await em.findOne(ContractType, typeId))) throw ValidationError.of('typeId', unknownContractType(typeId));
}

/** One client's contracts, by subject. */
export async function listContracts(em: EntityManager, actor: Actor, clientId: number): Promise<ContractDto[]> {
  await getClient(em, actor, clientId);
  const rows = await em.find(Contract, { clientId }, { orderBy: { subject: 'asc', id: 'asc' } });
  return toContractDtos(em, rows);
}

/**
 * Writes a new contract and its contract.added event inside a write-path transaction. The caller has checked
 * the client and the contract type (addContract for people; the demo data for itself).
 */
export async function insertContract(
  tx: EntityManager,
  record: RecordEvent,
  clientId: number,
  input: ContractInput,
): Promise<ContractEntity> {
  const fields = { typeId: input.typeId, subject: input.subject };
  const contract = tx.create(Contract, { clientId, ...fields, createdAt: new Date() });
  await tx.flush(); // the event names the contract by its id
  record({ clientId, type: 'contract.added', changes: rowChanges(contract.id, null, fields) });
  return contract;
}

export async function addContract(
  em: EntityManager,
  actor: Actor,
  input: { clientId: number } & ContractInput,
): Promise<ContractDto> {
  const row = await writeWithEvents(em, actor, async (tx, record) => {
    await openForProjects(tx, actor, input.clientId);
    await assertTypeExists(tx, input.typeId);
    return insertContract(tx, record, input.clientId, input);
  });
  return toContractDto(em, row);
}

export async function updateContract(
  em: EntityManager,
  actor: Actor,
  input: { id: number } & Partial<ContractInput>,
): Promise<ContractDto> {
  const row = await writeWithEvents(em, actor, async (tx, record) => {
    const found = await findContract(tx, input.id);
    await openForProjects(tx, actor, found.clientId);
    const before = { typeId: found.typeId, subject: found.subject };
    const after = { typeId: input.typeId ?? found.typeId, subject: input.subject ?? found.subject };
    if (after.typeId === before.typeId && after.subject === before.subject) return found;
    if (after.typeId !== before.typeId) await assertTypeExists(tx, after.typeId);
    record({ clientId: found.clientId, type: 'contract.updated', changes: rowChanges(found.id, before, after) });
    tx.assign(found, after);
    return found;
  });
  return toContractDto(em, row);
}

export async function deleteContract(em: EntityManager, actor: Actor, id: number): Promise<{ id: number }> {
  await writeWithEvents(em, actor, async (tx, record) => {
    const found = await findContract(tx, id);
    await openForProjects(tx, actor, found.clientId);
    record({
      clientId: found.clientId,
      type: 'contract.deleted',
      changes: rowChanges(id, { typeId: found.typeId, subject: found.subject }, null),
    });
    tx.remove(found);
  });
  return { id };
}
