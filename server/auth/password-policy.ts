import { dictionary } from '@zxcvbn-ts/language-common';
import { type PasswordProblem, passwordMessage, passwordShapeProblem } from '../../shared/passwords';
import { ValidationError } from '../errors';

/**
 * The most common passwords, from @zxcvbn-ts/language-common (about 49,000 passwords ranked by how often they
 * appear in breach corpora, kept up to date by the zxcvbn-ts project). Lower case, built once on first use.
 */
let common: ReadonlySet<string> | undefined;
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary['passwords-common']);
  return common;
}

// A common word padded to the length with digits and symbols ("dragon2024!!") is as guessable as the word.
const PADDING = /^[\d\W_]+|[\d\W_]+$/gu;
const MIN_CORE = 4;

export function passwordProblem(password: string): PasswordProblem | null {
  const shape = passwordShapeProblem(password);
  if (shape) return shape;
  const lower = password.normalize('NFKC').toLowerCase();
  if (commonPasswords().has(lower)) return 'tooCommon';
  const core = lower.replace(PADDING, '');
  if (core.length >= MIN_CORE && core !== lower && commonPasswords().has(core)) return 'tooCommon';
  return null;
}

/** Throws a field error on `password` when it breaks a rule. */
export function assertGoodPassword(password: string, field = 'password'): void {
  const problem = passwordProblem(password);
  if (problem) throw ValidationError.of(field, passwordMessage(problem));
}
