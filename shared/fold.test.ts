import { describe, expect, it } from 'vitest';
import { foldForSearch } from './fold';

describe('foldForSearch', () => {
  it('folds Polish and other letters NFD leaves alone', () => {
    expect(foldForSearch('Łódź Logistics')).toBe('lodz logistics');
    expect(foldForSearch('Żółć GĘŚLĄ jaźń')).toBe('zolc gesla jazn');
    expect(foldForSearch('Straße Øresund Æble Œuvre')).toBe('strasse oresund aeble oeuvre');
  });

  it('collapses white space', () => {
    expect(foldForSearch('  a \n\t b ')).toBe('a b');
  });
});
