import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { clientRecordSchema } from '../../shared/client-schema';
import {
  belgianEnterpriseNumber,
  buildDemoClients,
  DEMO_CATEGORIES,
  DEMO_COUNTRIES,
  gln,
  mulberry32,
  norwegianOrgNumber,
  polishNip,
  toClientRecord,
} from './demo-data';

// Fake lookup ids, as a database would give them.
const categoryIds = new Map(Object.keys(DEMO_CATEGORIES).map((name, index) => [name, index + 1]));
const subcategoryIds = new Map(
  Object.entries(DEMO_CATEGORIES)
    .flatMap(([category, subs]) => subs.map((sub) => `${category}/${sub}`))
    .map((key, index) => [key, index + 1]),
);

describe('demo data', () => {
  const clients = buildDemoClients();

  it('has about 200 clients covering every target country', () => {
    expect(clients.length).toBeGreaterThanOrEqual(180);
    expect(clients.length).toBeLessThanOrEqual(220);
    expect(new Set(clients.map((client) => client.record.country))).toEqual(
      new Set(['PL', 'DE', 'BE', 'NO', 'GB', 'IN', 'US']),
    );
    expect([...DEMO_COUNTRIES].sort()).toEqual(['BE', 'DE', 'GB', 'IN', 'NO', 'PL', 'US']);
  });

  it('gives records that pass the shared client schema, with valid mobile numbers in E.164', () => {
    for (const demo of clients) {
      const record = toClientRecord(demo, categoryIds, subcategoryIds);
      const parsed = clientRecordSchema.safeParse(record);
      expect(parsed.success, `${demo.record.name}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      const mobile = String(demo.record.mobile);
      expect(mobile).toMatch(/^\+\d{8,15}$/);
      const phone = parsePhoneNumberFromString(mobile);
      expect(phone?.isValid(), mobile).toBe(true);
      expect(phone?.country, mobile).toBe(demo.record.country);
      expect(['MOBILE', 'FIXED_LINE_OR_MOBILE']).toContain(phone?.getType());
      if (parsed.success) expect(parsed.data.mobile).toBe(mobile);
    }
  });

  it('has unique e-mails, a mix of statuses, lookups, e-invoicing, projects, contracts and a few notes', () => {
    const emails = clients.map((client) => client.record.email);
    expect(new Set(emails).size).toBe(emails.length);
    const inactive = clients.filter((client) => client.record.status === 'inactive').length;
    expect(inactive).toBeGreaterThan(0);
    expect(inactive).toBeLessThan(clients.length / 3);
    expect(clients.some((client) => client.subcategory !== null)).toBe(true);
    const schemes = new Set(clients.map((client) => client.record.electronicAddressScheme).filter(Boolean));
    for (const scheme of ['0088', '0192', '0208']) expect(schemes).toContain(scheme);
    expect(clients.some((client) => client.projects.length > 0)).toBe(true);
    expect(clients.some((client) => client.contracts.length > 0)).toBe(true);
    const notes = clients.reduce((sum, client) => sum + client.notes.length, 0);
    expect(notes).toBeGreaterThan(0);
    expect(notes).toBeLessThan(30);
    expect(clients.some((client) => /[ŁłŻżąęśćńóź]/.test(`${client.record.name} ${client.record.city}`))).toBe(true);
  });

  it('is deterministic', () => {
    expect(buildDemoClients()).toEqual(clients);
    expect(buildDemoClients(7)).not.toEqual(clients);
  });

  it('writes check digits that validate', () => {
    const random = mulberry32(1);
    for (let i = 0; i < 50; i++) {
      const nip = polishNip(random);
      const weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
      expect(weights.reduce((sum, weight, index) => sum + weight * Number(nip[index]), 0) % 11).toBe(Number(nip[9]));
      const enterprise = belgianEnterpriseNumber(random);
      expect(97 - (Number(enterprise.slice(0, 8)) % 97)).toBe(Number(enterprise.slice(8)));
      const org = norwegianOrgNumber(random);
      const orgSum = [3, 2, 7, 6, 5, 4, 3, 2, 1].reduce((sum, weight, index) => sum + weight * Number(org[index]), 0);
      expect(orgSum % 11).toBe(0);
      const location = gln(random, '590');
      const glnSum = [...location].reduce((sum, digit, index) => sum + Number(digit) * (index % 2 === 0 ? 1 : 3), 0);
      expect(glnSum % 10).toBe(0);
    }
  });
});
