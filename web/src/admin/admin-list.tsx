import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { t } from '../i18n/i18n.ts';
import { ConfirmDialog, Modal, RowButton } from './admin-kit.tsx';

/** A column heading: its text, or its text and a class (`adm-num` for figures). */
export type Column = string | { label: string; className: string };

/** An admin table: the column headings, then a last, unlabelled-to-the-eye column for row actions. */
export function AdminTable({
  columns,
  labelledBy,
  children,
}: {
  columns: Column[];
  labelledBy?: string;
  children: ReactNode;
}) {
  return (
    <table className="admin-table" aria-labelledby={labelledBy}>
      <thead>
        <tr>
          {columns.map((column) =>
            typeof column === 'string' ? (
              <th key={column} scope="col">
                {column}
              </th>
            ) : (
              <th key={column.label} scope="col" className={column.className}>
                {column.label}
              </th>
            ),
          )}
          <th scope="col">
            <span className="visually-hidden">{t('admin.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/**
 * A section's list: the load error, then either the empty message or the table of rows.
 * `notes` are further messages that belong between the error and the list.
 */
export function AdminList<T>({
  error,
  data,
  empty,
  columns,
  notes,
  children,
}: {
  error: Error | null;
  data: T[] | undefined;
  empty: string;
  columns: Column[];
  notes?: ReactNode;
  children: (item: T) => ReactNode;
}) {
  return (
    <>
      {error && <p role="alert">{t('common.error', { detail: error.message })}</p>}
      {notes}
      {data?.length === 0 && <p className="empty">{empty}</p>}
      {Boolean(data?.length) && <AdminTable columns={columns}>{data?.map(children)}</AdminTable>}
    </>
  );
}

/** The actions cell of a row: any section-specific actions first, then Edit and Delete when given. */
export function RowActions({
  subject,
  onEdit,
  onDelete,
  deleteLabel = t('common.delete'),
  children,
}: {
  subject: string;
  onEdit?: (() => void) | undefined;
  onDelete?: (() => void) | undefined;
  deleteLabel?: string;
  children?: ReactNode;
}) {
  return (
    <td className="adm-row-actions">
      {children}
      {onEdit && <RowButton label={t('common.edit')} subject={subject} onClick={onEdit} />}
      {onDelete && (
        <RowButton label={deleteLabel} subject={subject} className="adm-danger-link" onClick={onDelete} />
      )}
    </td>
  );
}

/** "Shared" or "Personal", for canned responses and views. */
export function VisibilityPill({ shared }: { shared: boolean }) {
  return (
    <span className={shared ? 'pill adm-pill-shared' : 'pill'}>
      {shared ? t('admin.shared') : t('admin.personal')}
    </span>
  );
}

/**
 * Delete (or revoke) after asking: `ask(row)` opens the confirmation, `dialog` is the element to
 * render. A fresh ask clears the previous attempt's error.
 */
export function useConfirmedDelete<T>({
  remove,
  onDeleted,
  title,
  message,
  confirmLabel = t('common.delete'),
}: {
  remove: (row: T) => Promise<unknown>;
  onDeleted: (row: T) => void;
  title: string;
  message: (row: T) => string;
  confirmLabel?: string;
}) {
  const [target, setTarget] = useState<T | null>(null);
  const mutation = useMutation({
    mutationFn: remove,
    onSuccess: (_, row) => {
      setTarget(null);
      onDeleted(row);
    },
  });
  return {
    ask: (row: T) => {
      mutation.reset();
      setTarget(row);
    },
    dialog: (
      <ConfirmDialog
        open={target !== null}
        title={title}
        message={target === null ? '' : message(target)}
        confirmLabel={confirmLabel}
        pending={mutation.isPending}
        error={mutation.error}
        onConfirm={() => target !== null && mutation.mutate(target)}
        onCancel={() => setTarget(null)}
      />
    ),
  };
}

/** The create-or-edit dialog: `editing` is the row, 'new', or null when closed. */
export function EditorModal<T>({
  editing,
  createTitle,
  editTitle,
  onClose,
  wide,
  children,
}: {
  editing: T | 'new' | null;
  createTitle: string;
  editTitle: string;
  onClose: () => void;
  wide?: boolean;
  children: (row: T | null) => ReactNode;
}) {
  return (
    <Modal
      open={editing !== null}
      title={editing === 'new' ? createTitle : editTitle}
      onClose={onClose}
      {...(wide && { wide })}
    >
      {editing !== null && children(editing === 'new' ? null : editing)}
    </Modal>
  );
}
