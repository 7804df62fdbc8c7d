import type { Me } from '../api/types.ts';
import { t } from '../i18n/i18n.ts';

export default function AdminPage(_props: { section: string | undefined; me: Me }) {
  return <h1>{t('admin.title')}</h1>;
}
