import type { FieldErrors } from '../shared/field-errors';

/**
 * Errors the services raise. They know nothing of HTTP; the tRPC layer maps each to its code
 * (server/trpc.ts), so the same rule answers the same way everywhere.
 */
export class DomainError extends Error {}

export class NotFoundError extends DomainError {}

export class ForbiddenError extends DomainError {}

/** The request clashes with the stored state (a duplicate, a deleted record, an entry still in use). */
export class ConflictError extends DomainError {}

/** Bad input, per field: { email: ['E-mail is already used by …'] }. */
export class ValidationError extends DomainError {
  constructor(readonly fieldErrors: FieldErrors) {
    super(Object.values(fieldErrors).flat().join(' ') || 'The input is not valid.');
  }

  static of(field: string, message: string): ValidationError {
    return new ValidationError({ [field]: [message] });
  }
}
