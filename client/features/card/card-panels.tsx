import type { ComponentType } from 'react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { ClientDto } from '../../lib/trpc';

export interface CardPanelProps {
  client: ClientDto;
  /** True when the signed-in user may not change this client (role, or the client is deleted). */
  readOnly: boolean;
}

interface CardPanel {
  id: string;
  /** Translation key of the tab's name. */
  labelKey: string;
  Panel: ComponentType<CardPanelProps>;
}

/**
 * The card's secondary panels (notes, documents, projects and contracts, history), shown as tabs under the
 * client's fields. Each feature adds its entry here; the card page renders them in this order.
 */
const CARD_PANELS: CardPanel[] = [];

export function CardPanels(props: CardPanelProps) {
  const { t } = useTranslation();
  if (CARD_PANELS.length === 0) return null;
  return (
    <Tabs className="card-panels">
      <TabList aria-label={t('card.panels')} className="tab-list">
        {CARD_PANELS.map((panel) => (
          <Tab key={panel.id} id={panel.id} className="tab">
            {t(panel.labelKey)}
          </Tab>
        ))}
      </TabList>
      {CARD_PANELS.map(({ id, Panel }) => (
        <TabPanel key={id} id={id} className="tab-panel">
          <Panel {...props} />
        </TabPanel>
      ))}
    </Tabs>
  );
}
