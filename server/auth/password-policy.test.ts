import { describe, expect, it } from 'vitest';
import { localizePasswordMessage, passwordMessage } from '../../shared/passwords';
import { passwordProblem } from './password-policy';

describe('password rules', () => {
  it('wants at least 12 characters (counted as people see them) and at most 200', () => {
    expect(passwordProblem('short-pass1')).toBe('tooShort');
    expect(passwordProblem('ąęółśżźćńąęó')).toBeNull(); // 12 letters, 20 bytes
    expect(passwordProblem('x'.repeat(150) + 'y'.repeat(51))).toBe('tooLong');
  });

  it('refuses the most common passwords in any case, and with digits or symbols padded around them', () => {
    for (const common of [
      'password1234',
      'QWERTYUIOP12',
      '1q2w3e4r5t6y',
      '123456789012',
      'Password12345!',
      '2024dragon!!!',
    ]) {
      expect(passwordProblem(common), common).toBe('tooCommon');
    }
  });

  it('refuses one character repeated', () => {
    expect(passwordProblem('aaaaaaaaaaaaaa')).toBe('tooSimple');
  });

  it('accepts long passwords that are not on the list, even with a short word among random digits', () => {
    for (const good of ['correct horse battery', 'Kartoteka-2026-wiosna', '9384756102ab', 'admin-password-123']) {
      expect(passwordProblem(good), good).toBeNull();
    }
  });

  it('says each problem in English and Polish, and the browser finds the Polish for the server’s English', () => {
    expect(passwordMessage('tooShort')).toBe('Password must be at least 12 characters.');
    expect(localizePasswordMessage(passwordMessage('tooCommon'), 'pl')).toBe(passwordMessage('tooCommon', 'pl'));
    expect(localizePasswordMessage('Something else.', 'pl')).toBe('Something else.');
  });
});
