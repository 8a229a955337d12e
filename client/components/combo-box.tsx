import { type ReactNode, useCallback, useContext, useMemo } from 'react';
import {
  ComboBox,
  ComboBoxStateContext,
  Input,
  type Key,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Text,
} from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { foldForSearch } from '../../shared/fold';

/*
 * Focusing a combobox further down the page scrolls the page, and the browser reports that scroll a frame
 * later, by which time typing may already have opened the list; react-aria closes an open list on any page
 * scroll, which would throw away what was typed. Page scrolls reported just after a combobox got focus
 * are therefore kept from reaching it. (Registered once, before any list can open.)
 */
let comboFocusedAt = Number.NEGATIVE_INFINITY;
window.addEventListener(
  'focusin',
  (event) => {
    if (event.target instanceof HTMLInputElement && event.target.getAttribute('role') === 'combobox') {
      comboFocusedAt = performance.now();
    }
  },
  true,
);
window.addEventListener(
  'scroll',
  (event) => {
    if (performance.now() - comboFocusedAt < 400 && (event.target === document || event.target === window)) {
      event.stopImmediatePropagation();
    }
  },
  true,
);

export interface ComboOption {
  id: string;
  label: string;
  /** Text matched while typing, when it differs from the label. */
  textValue?: string;
  /** More words that find the option (its code, its name in the other UI language); never shown. */
  keywords?: string;
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
  inputRef?: React.Ref<HTMLInputElement>;
  /** What to say when nothing matches the typed text, if more than "No matches" helps (a retired code's successor). */
  noMatchHint?: (typed: string) => string | null;
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
  inputRef,
  noMatchHint,
}: Props) {
  const { t } = useTranslation();
  // react-aria filters by the text it shows; the index adds each option's keywords, folded like the search.
  const searchText = useMemo(
    () =>
      new Map(
        options.map((option) => [
          option.textValue ?? option.label,
          foldForSearch(`${option.label} ${option.keywords ?? ''}`),
        ]),
      ),
    [options],
  );
  const filter = useCallback(
    (text: string, input: string) => (searchText.get(text) ?? foldForSearch(text)).includes(foldForSearch(input)),
    [searchText],
  );
  return (
    <ComboBox
      defaultFilter={filter}
      className="field combo"
      value={value}
      onChange={(key: Key | null) => onChange(key === null ? null : String(key))}
      defaultItems={options}
      isInvalid={Boolean(error)}
      isDisabled={isDisabled}
      isReadOnly={isReadOnly}
      menuTrigger="input"
      allowsEmptyCollection
      onBlur={onBlur}
      validationBehavior="aria"
    >
      <Label>{label}</Label>
      <div className="combo-control">
        <OpenOnClick>
          <Input ref={inputRef} placeholder={placeholder} />
        </OpenOnClick>
        {value && !isReadOnly && !isDisabled ? (
          <button
            type="button"
            className="combo-clear"
            aria-label={t('common.clearSelection')}
            onClick={() => onChange(null)}
          >
            ×
          </button>
        ) : null}
        <Chevron />
      </div>
      {error ? (
        <Text slot="errorMessage" className="field-error">
          {error}
        </Text>
      ) : null}
      <Popover className="combo-popover">
        <ListBox className="combo-list" renderEmptyState={() => <NoMatches hint={noMatchHint} />}>
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

/**
 * Opens the list when the box is clicked. (Opening on focus instead would let the scroll that focusing
 * causes close the list again and wipe what was typed.) Keyboard users open it with Alt+ArrowDown or by typing.
 */
function OpenOnClick({ children }: { children: ReactNode }) {
  const state = useContext(ComboBoxStateContext);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a mouse convenience; the input inside has its own keyboard support
    // biome-ignore lint/a11y/useKeyWithClickEvents: as above
    <div
      className="combo-input"
      onClick={() => {
        if (state && !state.isOpen) state.open(null, 'manual');
      }}
    >
      {children}
    </div>
  );
}

function NoMatches({ hint }: { hint?: (typed: string) => string | null }) {
  const { t } = useTranslation();
  const typed = useContext(ComboBoxStateContext)?.inputValue ?? '';
  return <div className="combo-empty">{hint?.(typed) ?? t('common.noMatches')}</div>;
}

function Chevron() {
  const state = useContext(ComboBoxStateContext);
  return (
    <span
      className="combo-toggle"
      aria-hidden="true"
      onMouseDown={(event) => {
        event.preventDefault();
        if (!state) return;
        state.setFocused(true);
        if (state.isOpen) state.close();
        else state.open(null, 'manual');
      }}
    >
      ▾
    </span>
  );
}
