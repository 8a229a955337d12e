import type { ReactNode } from 'react';
import {
  Button,
  ComboBox,
  FieldError,
  Input,
  type Key,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Text,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';

export interface ComboOption {
  id: string;
  label: string;
  /** Text matched while typing, when it differs from the label. */
  textValue?: string;
  prefix?: ReactNode;
}

interface Props {
  label: string;
  options: readonly ComboOption[];
  value: string | null;
  onChange: (value: string | null) => void;
  onBlur?: () => void;
  error?: string;
  placeholder?: string;
  isDisabled?: boolean;
  isReadOnly?: boolean;
  name?: string;
  inputRef?: React.Ref<HTMLInputElement>;
}

/** A searchable single choice (react-aria ComboBox) with a visible label and an error at the field. */
export function SearchableSelect({
  label,
  options,
  value,
  onChange,
  onBlur,
  error,
  placeholder,
  isDisabled,
  isReadOnly,
  name,
  inputRef,
}: Props) {
  const { t } = useTranslation();
  return (
    <ComboBox
      className="field combo"
      value={value}
      onChange={(key: Key | null) => onChange(key === null ? null : String(key))}
      defaultItems={options}
      isInvalid={Boolean(error)}
      isDisabled={isDisabled}
      isReadOnly={isReadOnly}
      menuTrigger="focus"
      name={name}
      onBlur={onBlur}
      validationBehavior="aria"
    >
      <Label>{label}</Label>
      <div className="combo-control">
        <Input ref={inputRef} placeholder={placeholder} />
        {value && !isReadOnly && !isDisabled ? (
          <button
            type="button"
            className="combo-clear"
            aria-label={t('common.clearSelection', { field: label })}
            onClick={() => onChange(null)}
          >
            ×
          </button>
        ) : null}
        <Button className="combo-toggle" aria-label={label}>
          ▾
        </Button>
      </div>
      {error ? (
        <Text slot="errorMessage" className="field-error">
          {error}
        </Text>
      ) : null}
      <FieldError className="field-error" />
      <Popover className="combo-popover">
        <ListBox className="combo-list" renderEmptyState={() => <div className="combo-empty">{t('common.noMatches')}</div>}>
          {(option: ComboOption) => (
            <ListBoxItem id={option.id} textValue={option.textValue ?? option.label} className="combo-item">
              {option.prefix ? <span className="combo-prefix">{option.prefix}</span> : null}
              {option.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}
