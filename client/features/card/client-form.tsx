import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Controller, type FieldPath, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { CLIENT_SECTIONS, type ClientSection, type EditableClientField } from '../../../shared/client-fields';
import { retiredSchemeMessage } from '../../../shared/client-schema';
import { findEasScheme } from '../../../shared/eas';
import { suggestElectronicAddress } from '../../../shared/electronic-address';
import { CLIENT_STATUSES, GENDERS, SALUTATIONS } from '../../../shared/enums';
import { isUsualTaxName, suggestedTaxName } from '../../../shared/tax-numbers';
import { easOptions, languageOptions } from '../../components/code-options';
import { SearchableSelect } from '../../components/combo-box';
import { countryOptions } from '../../components/options';
import { sectionLabel, useFieldLabel, useLocale } from '../../lib/i18n';
import { useCategories, useSubcategories } from '../../lib/lookups';
import { FieldHint } from '../live/co-editing';
import type { ClientForm as Form, FormValues } from './form-values';

const TEXTAREAS = new Set<EditableClientField>(['companyAddress', 'shippingAddress']);
const INPUT_TYPES: Partial<Record<EditableClientField, string>> = {
  email: 'email',
  mobile: 'tel',
  officePhone: 'tel',
  website: 'url',
};
/** Fields whose rule reads another field (a phone is read with the country...): checked again when that one changes. */
const DEPENDENTS: Partial<Record<EditableClientField, EditableClientField[]>> = {
  country: ['mobile', 'officePhone', 'taxNumber', 'postalCode'],
  electronicAddressScheme: ['electronicAddress'],
  electronicAddress: ['electronicAddressScheme'],
};
const AUTOCOMPLETE: Partial<Record<EditableClientField, string>> = {
  name: 'off',
  email: 'off',
};

/** Deprecated schemes are not offered; typing one says what replaced it, with the words the server would use. */
function retiredSchemeHint(typed: string): string | null {
  const scheme = findEasScheme(typed.trim());
  return scheme?.deprecated ? retiredSchemeMessage(scheme) : null;
}

interface Props {
  form: Form;
  readOnly: boolean;
  canEditPortalAccess: boolean;
  lookupsAllowed: boolean;
  generalErrors: string[];
  actions: ReactNode;
  onSubmit: () => void;
}

function ErrorText({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error">
      {message}
    </p>
  );
}

export function ClientFormView({
  form,
  readOnly,
  canEditPortalAccess,
  lookupsAllowed,
  generalErrors,
  actions,
  onSubmit,
}: Props) {
  const { t } = useTranslation();
  const locale = useLocale();
  const label = useFieldLabel();
  const prefix = useId();
  const { register, control, formState, setValue, getValues } = form;
  const errors = formState.errors;
  const idOf = (field: string) => `${prefix}-${field}`;
  const errorIdOf = (field: string) => `${prefix}-${field}-error`;

  // Messages are written when a field is checked: check the invalid ones again so they speak the new language.
  // The server's own findings (an e-mail another client has) stay: checking again here would clear them.
  const checkedIn = useRef(locale);
  useEffect(() => {
    if (checkedIn.current === locale) return;
    checkedIn.current = locale;
    const invalid = Object.entries(form.formState.errors)
      .filter(([, error]) => error?.type !== 'server')
      .map(([field]) => field as FieldPath<FormValues>);
    if (invalid.length > 0) void form.trigger(invalid);
  }, [locale, form]);

  const countries = useMemo(() => countryOptions(locale), [locale]);
  const languages = useMemo(() => languageOptions(locale), [locale]);

  const categoryValue = useWatch({ control, name: 'categoryId' });
  const categoryId = categoryValue ? Number(categoryValue) : undefined;
  const categories = useCategories(lookupsAllowed);
  const subcategories = useSubcategories(categoryId, lookupsAllowed && Boolean(categoryId));
  const subOptions = (subcategories.data ?? []).filter((sub) => sub.categoryId === categoryId);

  const [sameAddress, setSameAddress] = useState(false);
  const copyCompanyAddress = () =>
    setValue('shippingAddress', getValues('companyAddress'), { shouldDirty: true, shouldValidate: true });
  // When the form is reset to another record, the shortcut follows what that record holds.
  const defaultShipping = formState.defaultValues?.shippingAddress;
  const defaultCompany = formState.defaultValues?.companyAddress;
  useEffect(() => {
    setSameAddress(Boolean(defaultCompany) && defaultCompany === defaultShipping);
  }, [defaultCompany, defaultShipping]);

  // Suggestions are offered, never forced: a click fills them in, and text the user typed is never replaced. When
  // the country is changed, a tax name that is merely the old country's usual one (NIP, then Germany) is offered
  // for replacement too.
  const [country, taxName, taxNumber, scheme, address] = useWatch({
    control,
    name: ['country', 'taxName', 'taxNumber', 'electronicAddressScheme', 'electronicAddress'],
  });
  const usualTaxName = readOnly ? null : suggestedTaxName(country || null);
  const replaceableTaxName = !taxName || (Boolean(formState.dirtyFields.country) && isUsualTaxName(taxName));
  const taxNameSuggestion = usualTaxName && usualTaxName !== taxName && replaceableTaxName ? usualTaxName : null;
  const foundAddress = readOnly || address ? null : suggestElectronicAddress(country || null, taxNumber || null);
  const addressSuggestion = foundAddress && (!scheme || scheme === foundAddress.scheme) ? foundAddress : null;
  const accept = (values: Partial<Record<'taxName' | 'electronicAddressScheme' | 'electronicAddress', string>>) => {
    for (const [field, value] of Object.entries(values)) {
      setValue(field as FieldPath<FormValues>, value, { shouldDirty: true, shouldValidate: true });
    }
  };
  const suggestionFor = (field: EditableClientField) => {
    if (field === 'taxName' && taxNameSuggestion) {
      return (
        <button type="button" className="suggestion" onClick={() => accept({ taxName: taxNameSuggestion })}>
          {t('card.suggestTaxName', { name: taxNameSuggestion })}
        </button>
      );
    }
    if (field === 'electronicAddress' && addressSuggestion) {
      return (
        <button
          type="button"
          className="suggestion"
          onClick={() =>
            accept({ electronicAddressScheme: addressSuggestion.scheme, electronicAddress: addressSuggestion.address })
          }
        >
          {t('card.suggestAddress', { ...addressSuggestion })}
        </button>
      );
    }
    return null;
  };

  const describedBy = (field: EditableClientField) => (errors[field] ? errorIdOf(field) : undefined);

  // A field filled in or already in error is checked again when a field its rule reads changes, so its message
  // follows (a postal code that was right for Poland is wrong for Germany); empty, untouched ones stay quiet.
  const recheckDependents = (field: EditableClientField) => {
    const stale = (DEPENDENTS[field] ?? []).filter(
      (dependent) => getValues(dependent) || form.getFieldState(dependent).error,
    );
    if (stale.length > 0) void form.trigger(stale);
  };

  const textField = (field: EditableClientField) => {
    const common = {
      id: idOf(field),
      'aria-invalid': errors[field] ? true : undefined,
      'aria-describedby': describedBy(field),
      readOnly: readOnly || (field === 'shippingAddress' && sameAddress),
      ...register(field as FieldPath<FormValues>, {
        onChange: () => {
          if (field === 'companyAddress' && sameAddress) copyCompanyAddress();
          recheckDependents(field);
        },
      }),
    };
    return (
      <div className={`field${TEXTAREAS.has(field) ? ' field-wide' : ''}`} key={field}>
        <label htmlFor={idOf(field)}>
          {label(field)}
          {field === 'name' ? (
            <span className="required" aria-hidden="true">
              {' '}
              *
            </span>
          ) : null}
        </label>
        {TEXTAREAS.has(field) ? (
          <textarea rows={3} {...common} />
        ) : (
          <input
            type={INPUT_TYPES[field] ?? 'text'}
            autoComplete={AUTOCOMPLETE[field] ?? 'off'}
            aria-required={field === 'name' ? true : undefined}
            {...common}
          />
        )}
        {field === 'shippingAddress' ? (
          <label className="check">
            <input
              type="checkbox"
              checked={sameAddress}
              disabled={readOnly}
              onChange={(event) => {
                setSameAddress(event.target.checked);
                if (event.target.checked) copyCompanyAddress();
              }}
            />
            {t('card.sameAsCompany')}
          </label>
        ) : null}
        {suggestionFor(field)}
        <FieldHint field={field} />
        <ErrorText id={errorIdOf(field)} message={errors[field]?.message} />
      </div>
    );
  };

  const selectField = (field: EditableClientField, options: { value: string; label: string }[], empty?: string) => (
    <Controller
      key={field}
      control={control}
      name={field as FieldPath<FormValues>}
      render={({ field: controlled, fieldState }) => (
        <div className="field">
          <label htmlFor={idOf(field)}>{label(field)}</label>
          <select
            id={idOf(field)}
            ref={controlled.ref}
            name={controlled.name}
            disabled={readOnly}
            aria-invalid={fieldState.error ? true : undefined}
            aria-describedby={describedBy(field)}
            value={String(controlled.value ?? '')}
            onBlur={controlled.onBlur}
            onChange={(event) => {
              controlled.onChange(event.target.value);
              if (field === 'categoryId' && getValues('subcategoryId')) {
                setValue('subcategoryId', '', { shouldDirty: true, shouldValidate: true });
              }
            }}
          >
            {empty !== undefined ? <option value="">{empty}</option> : null}
            {options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          <FieldHint field={field} />
          <ErrorText id={errorIdOf(field)} message={fieldState.error?.message} />
        </div>
      )}
    />
  );

  const comboField = (field: 'country' | 'language' | 'electronicAddressScheme') => (
    <Controller
      key={field}
      control={control}
      name={field}
      render={({ field: controlled, fieldState }) => (
        <SearchableSelect
          label={label(field)}
          inputRef={controlled.ref}
          options={field === 'country' ? countries : field === 'language' ? languages : easOptions}
          value={controlled.value || null}
          onChange={(value) => {
            controlled.onChange(value ?? '');
            recheckDependents(field);
          }}
          onBlur={controlled.onBlur}
          error={fieldState.error?.message}
          isReadOnly={readOnly}
          noMatchHint={field === 'electronicAddressScheme' ? retiredSchemeHint : undefined}
          placeholder={
            readOnly
              ? undefined
              : t(
                  field === 'country'
                    ? 'card.searchCountry'
                    : field === 'language'
                      ? 'card.searchLanguage'
                      : 'card.searchScheme',
                )
          }
        />
      )}
    />
  );

  const checkboxField = (field: 'loginAllowed' | 'emailNotifications') => (
    <div className="field" key={field}>
      <label className="check" htmlFor={idOf(field)}>
        <input
          id={idOf(field)}
          type="checkbox"
          disabled={readOnly || (field === 'loginAllowed' && !canEditPortalAccess)}
          aria-describedby={describedBy(field)}
          {...register(field)}
        />
        {label(field)}
      </label>
      <ErrorText id={errorIdOf(field)} message={errors[field]?.message} />
    </div>
  );

  const renderField = (field: EditableClientField) => {
    switch (field) {
      case 'salutation':
        return selectField(
          field,
          SALUTATIONS.map((value) => ({ value, label: t(`salutation.${value}`) })),
          t('card.chooseOption'),
        );
      case 'gender':
        return selectField(
          field,
          GENDERS.map((value) => ({ value, label: t(`gender.${value}`) })),
          t('card.chooseOption'),
        );
      case 'status':
        return selectField(
          field,
          CLIENT_STATUSES.map((value) => ({ value, label: t(`status.${value}`) })),
        );
      case 'categoryId':
        return selectField(
          field,
          (categories.data ?? []).map((category) => ({ value: String(category.id), label: category.name })),
          t('card.chooseOption'),
        );
      case 'subcategoryId':
        return selectField(
          field,
          subOptions.map((sub) => ({ value: String(sub.id), label: sub.name })),
          categoryId ? t('card.chooseOption') : t('card.chooseCategoryFirst'),
        );
      case 'country':
      case 'language':
      case 'electronicAddressScheme':
        return comboField(field);
      case 'loginAllowed':
      case 'emailNotifications':
        return checkboxField(field);
      default:
        return textField(field);
    }
  };

  const errorEntries = Object.entries(errors).filter(([, error]) => error?.message) as [string, { message: string }][];
  const showSummary = (formState.submitCount > 0 && errorEntries.length > 0) || generalErrors.length > 0;

  return (
    <form
      className="card-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {showSummary ? (
        <div className="error-summary" role="alert">
          <p>{t('card.errorSummary')}</p>
          <ul>
            {errorEntries.map(([field, error]) => (
              <li key={field}>
                <a href={`#${idOf(field)}`}>{error.message}</a>
              </li>
            ))}
            {generalErrors.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {(Object.keys(CLIENT_SECTIONS) as ClientSection[]).map((section) => (
        <fieldset key={section} className="section" disabled={false}>
          <legend className="section-title">
            <h2>{sectionLabel(section, locale)}</h2>
          </legend>
          <div className="grid">{CLIENT_SECTIONS[section].map((field) => renderField(field))}</div>
        </fieldset>
      ))}
      {actions}
    </form>
  );
}
