import type { EntityManager } from '@mikro-orm/knex';
import { can } from '../../shared/permissions';
import { type SavedViewSettings, viewMessage } from '../../shared/saved-views';
import type { Actor } from '../auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { User } from '../users/entity';
import { SavedView, type SavedViewEntity } from './entity';

export interface SavedViewDto extends SavedViewSettings {
  id: number;
  name: string;
  shared: boolean;
  owner: { id: number; name: string };
  /** The viewer's own view (or, for an administrator, one they may change anyway: see `mayChange`). */
  mine: boolean;
  mayChange: boolean;
  createdAt: Date;
  updatedAt: Date;
}

function mayChange(actor: Actor, view: SavedViewEntity): boolean {
  return view.ownerId === actor.id || can(actor.role, 'views.moderate');
}

function toDto(actor: Actor, view: SavedViewEntity, ownerName: string): SavedViewDto {
  return {
    id: view.id,
    name: view.name,
    shared: view.shared,
    owner: { id: view.ownerId, name: ownerName },
    mine: view.ownerId === actor.id,
    mayChange: mayChange(actor, view),
    input: view.settings.input,
    columns: view.settings.columns,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}

async function ownerNames(em: EntityManager, views: SavedViewEntity[]): Promise<Map<number, string>> {
  const ids = [...new Set(views.map((view) => view.ownerId))];
  const users = ids.length > 0 ? await em.find(User, { id: { $in: ids } }, { fields: ['id', 'name'] }) : [];
  return new Map(users.map((user) => [user.id, user.name]));
}

/** The actor's own views, then the ones others shared, each group by name. */
export async function listViews(em: EntityManager, actor: Actor): Promise<SavedViewDto[]> {
  const views = await em.find(SavedView, { $or: [{ ownerId: actor.id }, { shared: true }] });
  const names = await ownerNames(em, views);
  return views
    .sort((a, b) => Number(b.ownerId === actor.id) - Number(a.ownerId === actor.id) || a.name.localeCompare(b.name))
    .map((view) => toDto(actor, view, names.get(view.ownerId) ?? ''));
}

/** A view the actor may change: someone else's private view does not exist for them; a shared one is read-only. */
async function changeable(em: EntityManager, actor: Actor, id: number): Promise<SavedViewEntity> {
  const view = await em.findOne(SavedView, id);
  if (!view || (view.ownerId !== actor.id && !view.shared && !can(actor.role, 'views.moderate'))) {
    throw new NotFoundError(`Saved view ${id} does not exist.`);
  }
  if (!mayChange(actor, view)) {
    throw new ForbiddenError(`Only its owner or an administrator may change the saved view "${view.name}".`);
  }
  return view;
}

/** Names are unique per owner, whatever their case. */
async function assertNameFree(em: EntityManager, ownerId: number, name: string, selfId?: number): Promise<void> {
  const views = await em.find(SavedView, { ownerId }, { fields: ['id', 'name'] });
  const folded = name.toLocaleLowerCase();
  if (views.some((view) => view.id !== selfId && view.name.toLocaleLowerCase() === folded)) {
    throw ValidationError.of('name', viewMessage('nameTaken', { name }));
  }
}

export interface SaveView extends SavedViewSettings {
  id?: number;
  name: string;
  shared: boolean;
}

/** A new view of the actor's, or (with `id`) new name, sharing and settings for one they may change. */
export async function saveView(em: EntityManager, actor: Actor, input: SaveView): Promise<SavedViewDto> {
  const settings: SavedViewSettings = { input: input.input, columns: input.columns };
  let view: SavedViewEntity;
  if (input.id === undefined) {
    await assertNameFree(em, actor.id, input.name);
    view = em.create(SavedView, { ownerId: actor.id, name: input.name, shared: input.shared, settings });
  } else {
    view = await changeable(em, actor, input.id);
    await assertNameFree(em, view.ownerId, input.name, view.id);
    em.assign(view, { name: input.name, shared: input.shared, settings });
  }
  await em.flush();
  return toDto(actor, view, (await ownerNames(em, [view])).get(view.ownerId) ?? '');
}

export async function renameView(em: EntityManager, actor: Actor, id: number, name: string): Promise<SavedViewDto> {
  const view = await changeable(em, actor, id);
  await assertNameFree(em, view.ownerId, name, view.id);
  view.name = name;
  await em.flush();
  return toDto(actor, view, (await ownerNames(em, [view])).get(view.ownerId) ?? '');
}

export async function deleteView(em: EntityManager, actor: Actor, id: number): Promise<void> {
  const view = await changeable(em, actor, id);
  await em.remove(view).flush();
}
