import { Table, TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ChangeRequest } from '@internal/plugin-gitops-common';
import { ReactNode } from 'react';
import { Age } from '../common/Age';
import { ChangeRequestLink, forgeLabel } from '../common/ChangeRequestLink';
import { ChecksStatus } from '../common/ChecksStatus';
import { FolderList } from '../common/FolderList';
import { ForgeLink } from '../common/ForgeLink';
import { StateChip } from '../common/StateChip';

const columns: TableColumn<ChangeRequest>[] = [
  {
    title: 'Title',
    field: 'title',
    highlight: true,
    width: '22%',
    render: request => <ChangeRequestLink request={request} />,
  },
  {
    title: 'Template',
    field: 'template',
    render: ({ template }) => (
      <EntityRefLink entityRef={template} defaultKind="template" hideIcon />
    ),
  },
  {
    title: 'Team',
    field: 'team',
    render: ({ team }) => (
      <EntityRefLink entityRef={team} defaultKind="group" hideIcon />
    ),
  },
  {
    title: 'Requested by',
    field: 'requester',
    render: ({ requester }) => (
      <EntityRefLink entityRef={requester} defaultKind="user" hideIcon />
    ),
  },
  {
    title: 'State',
    field: 'state',
    render: ({ state }) => <StateChip state={state} />,
  },
  {
    title: 'Checks',
    field: 'checks',
    render: ({ checks }) => <ChecksStatus checks={checks} />,
  },
  {
    title: 'Folders',
    field: 'folders',
    width: '22%',
    render: ({ folders, paths }) => (
      <FolderList folders={folders} paths={paths} />
    ),
  },
  {
    title: 'At the forge',
    field: 'forgeUrl',
    render: request => (
      <ForgeLink url={request.forgeUrl} fallback="–">
        {forgeLabel(request)}
      </ForgeLink>
    ),
  },
  {
    title: 'Age',
    field: 'createdAt',
    render: ({ createdAt }) => <Age time={createdAt} />,
  },
];

/** A page of change requests, newest first as the backend sends them. */
export function ChangeRequestTable(props: {
  items: ChangeRequest[];
  loading: boolean;
  title: string;
  emptyContent: ReactNode;
}) {
  return (
    <Table<ChangeRequest>
      title={props.title}
      columns={columns}
      data={props.items}
      isLoading={props.loading}
      emptyContent={props.emptyContent}
      options={{
        paging: false,
        search: false,
        sorting: false,
        padding: 'dense',
      }}
    />
  );
}
