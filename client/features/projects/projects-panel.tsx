import { useMutation, useQuery } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAnnounce } from '../../components/announcer';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { useContractTypes } from '../../lib/lookups';
import { type ClientDto, queryClient, type RouterOutputs, trpc } from '../../lib/trpc';
import { ContractForm, ProjectForm } from './project-forms';

type Project = RouterOutputs['projects']['list'][number];
type Contract = RouterOutputs['contracts']['list'][number];

interface PanelProps {
  client: ClientDto;
  /** Viewers, and everyone on a deleted client, see the lists without the controls. */
  readOnly: boolean;
}

// The list's filters match projects and contract types, so the list may change with them.
function refreshProjects() {
  void queryClient.invalidateQueries({ queryKey: trpc.projects.list.pathKey() });
  void queryClient.invalidateQueries({ queryKey: trpc.clients.list.pathKey() });
}

function refreshContracts(clientId: number) {
  void queryClient.invalidateQueries({ queryKey: trpc.contracts.list.queryKey({ clientId }) });
  void queryClient.invalidateQueries({ queryKey: trpc.clients.list.pathKey() });
}

/** The card's "Projects and contracts" tab. */
export function ProjectsPanel(props: PanelProps) {
  return (
    <div className="projects-panel">
      <ProjectsSection {...props} />
      <ContractsSection {...props} />
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="projects-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

/** A list's loading, error and empty states, else its entries. */
function EntryList<T extends { id: number }>({
  query,
  label,
  empty,
  children,
}: {
  query: { isPending: boolean; error: { message: string } | null; data: T[] | undefined };
  label: string;
  empty: string;
  children: (item: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isPending) return <p className="empty-small">{t('common.loading')}</p>;
  if (query.error || !query.data) {
    return (
      <p role="alert" className="form-alert">
        {t('common.error', { message: query.error?.message ?? '' })}
      </p>
    );
  }
  if (query.data.length === 0) return <p className="empty-small">{empty}</p>;
  return (
    <ul className="entries" aria-label={label}>
      {query.data.map(children)}
    </ul>
  );
}

/** A row's Remove button with its confirmation; reports a refusal in the row. */
function RemoveButton({
  label,
  title,
  body,
  onRemove,
}: {
  label: string;
  title: string;
  body: string;
  onRemove: () => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const remove = async () => {
    setPending(true);
    try {
      await onRemove();
    } catch (error) {
      setProblem(t('common.error', { message: (error as Error).message }));
    } finally {
      setPending(false);
      setOpen(false);
    }
  };
  return (
    <>
      <button type="button" className="btn btn-small btn-danger" aria-label={label} onClick={() => setOpen(true)}>
        {t('projects.remove')}
      </button>
      {problem ? (
        <p role="alert" className="field-error">
          {problem}
        </p>
      ) : null}
      <ConfirmDialog
        isOpen={open}
        title={title}
        confirmLabel={t('projects.remove')}
        isPending={pending}
        onCancel={() => setOpen(false)}
        onConfirm={() => void remove()}
      >
        <p>{body}</p>
      </ConfirmDialog>
    </>
  );
}

function ProjectsSection({ client, readOnly }: PanelProps) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const projects = useQuery(trpc.projects.list.queryOptions({ clientId: client.id }));
  const add = useMutation(trpc.projects.add.mutationOptions({ onSuccess: refreshProjects }));
  return (
    <Section title={t('projects.projects')}>
      <EntryList query={projects} label={t('projects.projects')} empty={t('projects.noProjects')}>
        {(project) => <ProjectRow key={project.id} project={project} readOnly={readOnly} />}
      </EntryList>
      {readOnly ? null : (
        <ProjectForm
          label={t('projects.newProject')}
          defaultName=""
          submitLabel={t('projects.addProject')}
          clearAfterSave
          onSubmit={async ({ name }) => {
            await add.mutateAsync({ clientId: client.id, name });
            announce(t('projects.projectAdded', { name }));
          }}
        />
      )}
    </Section>
  );
}

function ProjectRow({ project, readOnly }: { project: Project; readOnly: boolean }) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [renaming, setRenaming] = useState(false);
  const rename = useMutation(trpc.projects.rename.mutationOptions({ onSuccess: refreshProjects }));
  const remove = useMutation(trpc.projects.delete.mutationOptions({ onSuccess: refreshProjects }));
  if (renaming) {
    return (
      <li className="entry">
        <ProjectForm
          label={t('projects.renameProject', { name: project.name })}
          defaultName={project.name}
          submitLabel={t('common.save')}
          onCancel={() => setRenaming(false)}
          onSubmit={async ({ name }) => {
            await rename.mutateAsync({ id: project.id, name });
            setRenaming(false);
            announce(t('projects.projectRenamed', { name }));
          }}
        />
      </li>
    );
  }
  return (
    <li className="entry">
      <div className="entry-row">
        <span className="entry-name">{project.name}</span>
        <span className="spacer" />
        {readOnly ? null : (
          <>
            <button
              type="button"
              className="btn btn-small"
              aria-label={t('projects.renameProject', { name: project.name })}
              onClick={() => setRenaming(true)}
            >
              {t('common.rename')}
            </button>
            <RemoveButton
              label={t('projects.removeProject', { name: project.name })}
              title={t('projects.removeProjectTitle', { name: project.name })}
              body={t('projects.removeProjectBody')}
              onRemove={async () => {
                await remove.mutateAsync({ id: project.id });
                announce(t('projects.projectRemoved', { name: project.name }));
              }}
            />
          </>
        )}
      </div>
    </li>
  );
}

function ContractsSection({ client, readOnly }: PanelProps) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const contracts = useQuery(trpc.contracts.list.queryOptions({ clientId: client.id }));
  const types = useContractTypes(!readOnly);
  const add = useMutation(trpc.contracts.add.mutationOptions({ onSuccess: () => refreshContracts(client.id) }));
  return (
    <Section title={t('projects.contracts')}>
      <EntryList query={contracts} label={t('projects.contracts')} empty={t('projects.noContracts')}>
        {(contract) => (
          <ContractRow key={contract.id} contract={contract} readOnly={readOnly} types={types.data ?? []} />
        )}
      </EntryList>
      {readOnly ? null : (
        <>
          {types.data?.length === 0 ? <p className="hint">{t('projects.noTypes')}</p> : null}
          <ContractForm
            label={t('projects.newContract')}
            defaultValues={{ typeId: '', subject: '' }}
            types={types.data ?? []}
            submitLabel={t('projects.addContract')}
            clearAfterSave
            onSubmit={async (values) => {
              await add.mutateAsync({ clientId: client.id, ...values });
              announce(t('projects.contractAdded', { subject: values.subject }));
            }}
          />
        </>
      )}
    </Section>
  );
}

function ContractRow({
  contract,
  readOnly,
  types,
}: {
  contract: Contract;
  readOnly: boolean;
  types: { id: number; name: string }[];
}) {
  const { t } = useTranslation();
  const announce = useAnnounce();
  const [editing, setEditing] = useState(false);
  const refresh = () => refreshContracts(contract.clientId);
  const update = useMutation(trpc.contracts.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.contracts.delete.mutationOptions({ onSuccess: refresh }));
  if (editing) {
    return (
      <li className="entry">
        <ContractForm
          label={t('projects.editContract', { subject: contract.subject })}
          defaultValues={{ typeId: String(contract.typeId), subject: contract.subject }}
          types={types}
          submitLabel={t('common.save')}
          onCancel={() => setEditing(false)}
          onSubmit={async (values) => {
            await update.mutateAsync({ id: contract.id, ...values });
            setEditing(false);
            announce(t('projects.contractSaved', { subject: values.subject }));
          }}
        />
      </li>
    );
  }
  return (
    <li className="entry">
      <div className="entry-row">
        <span className="entry-name">{contract.subject}</span>
        <span className="badge badge-contract-type">{contract.typeName}</span>
        <span className="spacer" />
        {readOnly ? null : (
          <>
            <button
              type="button"
              className="btn btn-small"
              aria-label={t('projects.editContract', { subject: contract.subject })}
              onClick={() => setEditing(true)}
            >
              {t('projects.edit')}
            </button>
            <RemoveButton
              label={t('projects.removeContract', { subject: contract.subject })}
              title={t('projects.removeContractTitle', { subject: contract.subject })}
              body={t('projects.removeContractBody')}
              onRemove={async () => {
                await remove.mutateAsync({ id: contract.id });
                announce(t('projects.contractRemoved', { subject: contract.subject }));
              }}
            />
          </>
        )}
      </div>
    </li>
  );
}
