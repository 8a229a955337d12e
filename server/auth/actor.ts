import type { Role } from '../../shared/enums';

/** Who is acting: carried from the session into every service call and every event. */
export interface Actor {
  id: number;
  name: string;
  role: Role;
  /** Set for portal users: the only client they may see. */
  clientId: number | null;
}

/** The actor for work the system does by itself (start-up seeding). */
export const SYSTEM_ACTOR: Actor = { id: 0, name: 'Kartoteka', role: 'admin', clientId: null };
