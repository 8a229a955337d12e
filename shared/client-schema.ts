import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { EDITABLE_CLIENT_FIELDS, type EditableClientField } from './client-fields';
import { countryName, isCountryCode } from './countries';
import { type EasScheme, findEasScheme } from './eas';
import { checkElectronicAddress } from './electronic-address';
import { CLIENT_STATUSES, GENDERS, LIST_SORT_FIELDS, PAGE_SIZES, SALUTATIONS } from './enums';
import { isLanguageCode } from './languages';
import { message, validationLocale } from './messages';
import { checkPostalCode } from './postal-codes';
import { checkTaxNumber } from './tax-numbers';

/** Form inputs send '' for an empty box; the API stores null. Strings are trimmed first. */
function emptyToNull(value: unknown): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  return value === undefined ? null : value;
}

function optionalText(field: EditableClientField, max: number) {
  return z.preprocess(
    emptyToNull,
    z
      .string({ error: () => message('invalid', { field }) })
      .max(max, { error: () => message('tooLong', { field, max }) })
      .nullable(),
  );
}

function optionalEnum<const T extends readonly [string, ...string[]]>(field: EditableClientField, values: T) {
  return z.preprocess(
    emptyToNull,
    z.enum(values, { error: () => message('oneOf', { field, options: values.join(', ') }) }).nullable(),
  );
}

function optionalId(field: EditableClientField) {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : emptyToNull(value)),
    z
      .number({ error: () => message('invalid', { field }) })
      .int()
      .positive({ error: () => message('invalid', { field }) })
      .nullable(),
  );
}

function flag(field: EditableClientField, fallback: boolean) {
  return z.preprocess(
    (value) => (value === undefined || value === null ? fallback : value),
    z.boolean({ error: () => message('invalid', { field }) }),
  );
}

const upper = (value: unknown) => (typeof value === 'string' ? value.toUpperCase() : value);
const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);

/** "example.com" -> "https://example.com"; anything that is not an http(s) address with a host gives null. */
export function normalizeWebsite(input: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(input) ? input : `https://${input}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname.includes('.') || url.username || url.password) return null;
  const text = url.toString();
  return url.pathname === '/' && !url.search && !url.hash ? text.replace(/\/$/, '') : text;
}

/** A phone number read with the client's country as the default, as E.164; null when it is not a valid number. */
export function normalizePhone(input: string, country: string | null): string | null {
  const parsed = parsePhoneNumberFromString(input, (country ?? undefined) as CountryCode | undefined);
  return parsed?.isValid() ? parsed.number : null;
}

/** Why a deprecated EAS scheme may not be used, naming the scheme that replaced it. */
export function retiredSchemeMessage(scheme: EasScheme): string {
  const field = 'electronicAddressScheme';
  return scheme.replacedBy
    ? message('easDeprecated', { field, value: scheme.code, replacement: scheme.replacedBy })
    : message('easDeprecatedNoReplacement', { field, value: scheme.code });
}

const fieldSchemas = {
  salutation: optionalEnum('salutation', SALUTATIONS),
  name: z.preprocess(
    emptyToNull,
    z
      .string({ error: () => message('required', { field: 'name' }) })
      .max(200, { error: () => message('tooLong', { field: 'name', max: 200 }) }),
  ),
  email: z.preprocess(
    (value) => lower(emptyToNull(value)),
    z
      .email({ error: () => message('email', { field: 'email' }) })
      .max(254, { error: () => message('tooLong', { field: 'email', max: 254 }) })
      .nullable(),
  ),
  country: z.preprocess(
    (value) => upper(emptyToNull(value)),
    z
      .string({ error: () => message('invalid', { field: 'country' }) })
      .refine(isCountryCode, { error: (issue) => message('country', { field: 'country', value: String(issue.input) }) })
      .nullable(),
  ),
  mobile: optionalText('mobile', 40),
  gender: optionalEnum('gender', GENDERS),
  language: z.preprocess(
    (value) => lower(emptyToNull(value)),
    z
      .string({ error: () => message('invalid', { field: 'language' }) })
      .refine(isLanguageCode, {
        error: (issue) => message('language', { field: 'language', value: String(issue.input) }),
      })
      .nullable(),
  ),
  categoryId: optionalId('categoryId'),
  subcategoryId: optionalId('subcategoryId'),
  status: z.preprocess(
    (value) => value ?? 'active',
    z.enum(CLIENT_STATUSES, {
      error: () => message('oneOf', { field: 'status', options: CLIENT_STATUSES.join(', ') }),
    }),
  ),
  companyName: optionalText('companyName', 200),
  website: optionalText('website', 500),
  taxName: optionalText('taxName', 40),
  taxNumber: optionalText('taxNumber', 40),
  officePhone: optionalText('officePhone', 40),
  city: optionalText('city', 120),
  state: optionalText('state', 120),
  postalCode: optionalText('postalCode', 20),
  companyAddress: optionalText('companyAddress', 1000),
  shippingAddress: optionalText('shippingAddress', 1000),
  electronicAddressScheme: optionalText('electronicAddressScheme', 4),
  electronicAddress: optionalText('electronicAddress', 200),
  loginAllowed: flag('loginAllowed', false),
  emailNotifications: flag('emailNotifications', true),
} satisfies Record<EditableClientField, z.ZodType>;

/**
 * A complete client record as a user may write it: each field's own rule, then the rules that join fields
 * (phones read with the country, the e-invoicing pair, the scheme list). Output is normalized: e-mail lower
 * case, phones E.164, website with its scheme. Rules that need the database (a sub-category's category)
 * live in checkClientReferences.
 */
export const clientRecordSchema = z
  .object(fieldSchemas)
  .strict()
  .superRefine((record, ctx) => {
    for (const field of ['mobile', 'officePhone'] as const) {
      const value = record[field];
      if (value !== null && normalizePhone(value, record.country) === null) {
        ctx.addIssue({ code: 'custom', path: [field], message: message('phone', { field }) });
      }
    }
    if (record.website !== null && normalizeWebsite(record.website) === null) {
      ctx.addIssue({ code: 'custom', path: ['website'], message: message('website', { field: 'website' }) });
    }
    const scheme = record.electronicAddressScheme;
    if (scheme !== null) {
      const known = findEasScheme(scheme);
      if (!known) {
        ctx.addIssue({
          code: 'custom',
          path: ['electronicAddressScheme'],
          message: message('easUnknown', { field: 'electronicAddressScheme', value: scheme }),
        });
      } else if (known.deprecated) {
        ctx.addIssue({ code: 'custom', path: ['electronicAddressScheme'], message: retiredSchemeMessage(known) });
      }
    }
    if (record.taxNumber !== null) {
      const check = checkTaxNumber(record.taxNumber, record.country);
      if (!check.valid) {
        ctx.addIssue({
          code: 'custom',
          path: ['taxNumber'],
          message: message(check.problem === 'checksum' ? 'taxNumberChecksum' : 'taxNumberFormat', {
            field: 'taxNumber',
            taxName: check.taxName ?? '',
            country: check.country ? countryName(check.country, validationLocale()) : '',
            example: check.example ?? '',
          }),
        });
      }
    }
    if (record.postalCode !== null) {
      const check = checkPostalCode(record.postalCode, record.country);
      if (!check.valid) {
        ctx.addIssue({
          code: 'custom',
          path: ['postalCode'],
          message: message('postalCode', {
            field: 'postalCode',
            country: record.country ? countryName(record.country, validationLocale()) : '',
            example: check.example ?? '',
          }),
        });
      }
    }
    if (scheme !== null && record.electronicAddress !== null && findEasScheme(scheme)) {
      const check = checkElectronicAddress(record.electronicAddress, scheme);
      if (!check.valid) {
        ctx.addIssue({
          code: 'custom',
          path: ['electronicAddress'],
          message:
            scheme === 'EM'
              ? message('email', { field: 'electronicAddress' })
              : message(check.problem === 'checksum' ? 'electronicAddressChecksum' : 'electronicAddressFormat', {
                  field: 'electronicAddress',
                  scheme,
                  example: check.example ?? '',
                }),
        });
      }
    }
    if (scheme !== null && record.electronicAddress === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['electronicAddress'],
        message: message('easPair', { field: 'electronicAddress', other: 'electronicAddressScheme' }),
      });
    }
    if (scheme === null && record.electronicAddress !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['electronicAddressScheme'],
        message: message('easPair', { field: 'electronicAddressScheme', other: 'electronicAddress' }),
      });
    }
    if (record.subcategoryId !== null && record.categoryId === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['subcategoryId'],
        message: message('subcategoryWithoutCategory', { field: 'subcategoryId' }),
      });
    }
  })
  .transform((record) => ({
    ...record,
    mobile: record.mobile === null ? null : normalizePhone(record.mobile, record.country),
    officePhone: record.officePhone === null ? null : normalizePhone(record.officePhone, record.country),
    website: record.website === null ? null : normalizeWebsite(record.website),
    taxNumber: record.taxNumber === null ? null : checkTaxNumber(record.taxNumber, record.country).normalized,
    postalCode: record.postalCode === null ? null : checkPostalCode(record.postalCode, record.country).normalized,
    electronicAddress:
      record.electronicAddress === null || record.electronicAddressScheme === null
        ? record.electronicAddress
        : checkElectronicAddress(record.electronicAddress, record.electronicAddressScheme).normalized,
  }));

/** What a form or an API caller sends: any subset of the editable fields; the rest take their defaults. */
export type ClientRecordInput = z.input<typeof clientRecordSchema>;
export type ClientRecord = z.output<typeof clientRecordSchema>;

/** The shape of `clients.update`'s changes: per field, the value the editor started from and the new one. */
export const clientChangesSchema = z
  .object(
    Object.fromEntries(
      EDITABLE_CLIENT_FIELDS.map((field) => [
        field,
        z.object({ base: z.unknown(), value: z.unknown() }).strict().optional(),
      ]),
    ) as Record<EditableClientField, z.ZodOptional<z.ZodObject<{ base: z.ZodUnknown; value: z.ZodUnknown }>>>,
  )
  .strict();
export type ClientChanges = z.infer<typeof clientChangesSchema>;

/** Lookups the reference check needs: each sub-category's id, name and category. */
export interface SubcategoryRef {
  id: number;
  name: string;
  categoryId: number;
}
export interface CategoryRef {
  id: number;
  name: string;
}

export interface FieldIssue {
  path: [EditableClientField];
  message: string;
}

/** The rules that need lookup data: run by the server against the database and by the form against the loaded lists. */
export function checkClientReferences(
  record: Pick<ClientRecord, 'categoryId' | 'subcategoryId'>,
  category: CategoryRef | null | undefined,
  subcategory: SubcategoryRef | null | undefined,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (record.categoryId !== null && !category) {
    issues.push({
      path: ['categoryId'],
      message: message('unknownLookup', { field: 'categoryId', value: record.categoryId }),
    });
  }
  if (record.subcategoryId !== null) {
    if (!subcategory) {
      issues.push({
        path: ['subcategoryId'],
        message: message('unknownLookup', { field: 'subcategoryId', value: record.subcategoryId }),
      });
    } else if (category && subcategory.categoryId !== category.id) {
      issues.push({
        path: ['subcategoryId'],
        message: message('subcategoryMismatch', {
          field: 'subcategoryId',
          value: subcategory.name,
          category: category.name,
        }),
      });
    }
  }
  return issues;
}

export { LIST_SORT_FIELDS, type ListSortField } from './enums';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date written YYYY-MM-DD' });

export const clientListInputSchema = z
  .object({
    search: z.string().trim().max(200).optional(),
    status: z.enum(CLIENT_STATUSES).optional(),
    categoryId: z.number().int().positive().optional(),
    subcategoryId: z.number().int().positive().optional(),
    projectId: z.number().int().positive().optional(),
    contractTypeId: z.number().int().positive().optional(),
    country: z
      .string()
      .transform((value) => value.toUpperCase())
      .refine(isCountryCode, { error: 'must be a two-letter ISO country code' })
      .optional(),
    createdFrom: isoDate.optional(),
    createdTo: isoDate.optional(),
    sort: z.enum(LIST_SORT_FIELDS).default('createdAt'),
    direction: z.enum(['asc', 'desc']).default('desc'),
    page: z.number().int().min(1).max(100_000).default(1),
    pageSize: z
      .number()
      .int()
      .refine((size) => (PAGE_SIZES as readonly number[]).includes(size), {
        error: `must be one of ${PAGE_SIZES.join(', ')}`,
      })
      .default(25),
  })
  .strict()
  .refine((input) => !input.createdFrom || !input.createdTo || input.createdFrom <= input.createdTo, {
    path: ['createdTo'],
    error: 'must not be before createdFrom',
  });
export type ClientListInput = z.input<typeof clientListInputSchema>;
export type ClientListQuery = z.output<typeof clientListInputSchema>;
