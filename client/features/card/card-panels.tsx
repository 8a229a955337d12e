import type { ComponentType } from 'react';
import { Tab, TabList, TabPanel, Tabs } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Permission } from '../../../shared/permissions';
import { useCan } from '../../lib/session';
import type { ClientDto } from '../../lib/trpc';
import { DocumentsPanel } from '../files/documents-panel';
import { HistoryPanel } from '../history/history-panel';
import { NotesPanel } from '../notes/notes-panel';
import { ProjectsPanel } from '../projects/projects-panel';

export interface CardPanelProps {
  client: ClientDto;
  /** True when the signed-in user may not change this client (role, or the client is deleted). */
  readOnly: boolean;
}

interface CardPanel {
  id: string;
  /** Translation key of the tab's name. */
  labelKey: string;
  /** Who sees the tab; everyone who may open the card when unset. */
  permission?: Permission;
  Panel: ComponentType<CardPanelProps>;
}

/**
 * The card's secondary panels (notes, documents, projects and contracts, history), shown as tabs under the
 * client's fields. Each feature adds its entry here; the card page renders them in this order.
 */
const CARD_PANELS: CardPanel[] = [
  { id: 'notes', labelKey: 'notes.tab', Panel: NotesPanel },
  { id: 'documents', labelKey: 'files.tab', Panel: DocumentsPanel },
  { id: 'projects', labelKey: 'projects.tab', permission: 'projects.read', Panel: ProjectsPanel },
  { id: 'history', labelKey: 'history.tab', Panel: HistoryPanel },
];

export function CardPanels(props: CardPanelProps) {
  const { t } = useTranslation();
  const can = useCan();
  const panels = CARD_PANELS.filter((panel) => !panel.permission || can(panel.permission));
  if (panels.length === 0) return null;
  return (
    <Tabs className="card-panels">
      <TabList aria-label={t('card.panels')} className="tab-list">
        {panels.map((panel) => (
          <Tab key={panel.id} id={panel.id} className="tab">
            {t(panel.labelKey)}
          </Tab>
        ))}
      </TabList>
      {panels.map(({ id, Panel }) => (
        <TabPanel key={id} id={id} className="tab-panel">
          <Panel {...props} />
        </TabPanel>
      ))}
    </Tabs>
  );
}
