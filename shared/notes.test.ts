import { afterEach, describe, expect, it } from 'vitest';
import { setValidationLocale } from './messages';
import { mayChangeNote, mayUseVisibility, noteContentSchema } from './notes';
import { cleanLine, cleanMultiline } from './plain-text';
import { contractInputSchema, projectInputSchema } from './projects';

afterEach(() => setValidationLocale('en'));

const errorsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((issue) => [String(issue.path[0]), issue.message]));

describe('plain text', () => {
  it('keeps line breaks and tabs in multi-line text, unifies line endings and drops other control characters', () => {
    expect(cleanMultiline(' \r\nOne\r\nTwo\rThree\u0000\u0007\tend\u001b \n')).toBe('One\nTwo\nThree\tend');
  });

  it('makes one line of a name, control characters and line breaks becoming spaces', () => {
    expect(cleanLine('  Audit\n2026\u0000x ')).toBe('Audit 2026 x');
  });
});

describe('note content', () => {
  it('accepts a trimmed body and a known visibility', () => {
    expect(noteContentSchema.parse({ body: '  Hello\r\nthere  ', visibility: 'public' })).toEqual({
      body: 'Hello\nthere',
      visibility: 'public',
    });
  });

  it('explains an empty or too long body and an unknown visibility, in English and in Polish', () => {
    const bad = { body: '   ', visibility: 'secret' };
    expect(errorsOf(noteContentSchema.safeParse(bad))).toEqual({
      body: 'Note is required.',
      visibility: 'Visibility must be one of: public, private.',
    });
    setValidationLocale('pl');
    expect(errorsOf(noteContentSchema.safeParse(bad))).toEqual({
      body: 'Pole „Notatka” jest wymagane.',
      visibility: 'Pole „Widoczność” musi mieć jedną z wartości: public, private.',
    });
    expect(errorsOf(noteContentSchema.safeParse({ body: 'x'.repeat(10_001), visibility: 'private' }))).toEqual({
      body: 'Pole „Notatka” może mieć najwyżej 10000 znaków.',
    });
  });
});

describe('who may write and change notes', () => {
  it('keeps private notes to the roles that may read them', () => {
    expect(mayUseVisibility('agent', 'private')).toBe(true);
    expect(mayUseVisibility('viewer', 'private')).toBe(false);
    expect(mayUseVisibility('client', 'private')).toBe(false);
    expect(mayUseVisibility('client', 'public')).toBe(true);
  });

  it('lets the author (while allowed to write notes) or an administrator change a note', () => {
    const note = { authorId: 7 };
    expect(mayChangeNote({ id: 7, role: 'agent' }, note)).toBe(true);
    expect(mayChangeNote({ id: 7, role: 'client' }, note)).toBe(true);
    expect(mayChangeNote({ id: 8, role: 'agent' }, note)).toBe(false);
    expect(mayChangeNote({ id: 8, role: 'manager' }, note)).toBe(false);
    expect(mayChangeNote({ id: 8, role: 'admin' }, note)).toBe(true);
    // An author who has since become a viewer no longer writes notes.
    expect(mayChangeNote({ id: 7, role: 'viewer' }, note)).toBe(false);
    // Nobody is the author of a note the system wrote, so only administrators change those.
    expect(mayChangeNote({ id: 0, role: 'agent' }, { authorId: null })).toBe(false);
    expect(mayChangeNote({ id: 1, role: 'admin' }, { authorId: null })).toBe(true);
  });
});

describe('projects and contracts', () => {
  it('explain a missing name, subject and contract type in both languages', () => {
    expect(errorsOf(projectInputSchema.safeParse({ name: '\n' }))).toEqual({ name: 'Project name is required.' });
    expect(errorsOf(contractInputSchema.safeParse({ typeId: '', subject: 'x'.repeat(201) }))).toEqual({
      typeId: 'Contract type is required.',
      subject: 'Subject can be at most 200 characters.',
    });
    setValidationLocale('pl');
    expect(errorsOf(projectInputSchema.safeParse({ name: '' }))).toEqual({
      name: 'Pole „Nazwa projektu” jest wymagane.',
    });
    expect(errorsOf(contractInputSchema.safeParse({ typeId: '', subject: '' }))).toEqual({
      typeId: 'Pole „Rodzaj umowy” jest wymagane.',
      subject: 'Pole „Przedmiot umowy” jest wymagane.',
    });
  });

  it('reads the contract type chosen in a select', () => {
    expect(contractInputSchema.parse({ typeId: '12', subject: ' Lease ' })).toEqual({ typeId: 12, subject: 'Lease' });
  });
});
