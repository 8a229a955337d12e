import { ClientEvent } from '../activity/entity';
import { AuditEntry } from '../audit/entity';
import { PasswordToken, Session } from '../auth/entity';
import { Client } from '../clients/entity';
import { StoredFile } from '../files/entity';
import { ClientCategory, ClientSubcategory, Contract, ContractType, Project } from '../lookups/entity';
import { OutboxMail } from '../mail/entity';
import { Note } from '../notes/entity';
import { User } from '../users/entity';
import { SavedView } from '../views/entity';

/** Every entity, for the ORM configuration. */
export const ENTITIES = [
  Client,
  ClientCategory,
  ClientSubcategory,
  Project,
  ContractType,
  Contract,
  User,
  Session,
  Note,
  StoredFile,
  ClientEvent,
  SavedView,
  PasswordToken,
  AuditEntry,
  OutboxMail,
];
