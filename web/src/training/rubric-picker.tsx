import { t } from '../i18n/i18n.ts';
import type { Rubric } from './qa-api.ts';

/** Which rubric to work on; shown only when the workspace has more than one. */
export function RubricPicker({
  rubrics,
  value,
  onChange,
}: {
  rubrics: Rubric[];
  value: string | undefined;
  onChange: (id: string) => void;
}) {
  if (rubrics.length < 2) return null;
  return (
    <label>
      {t('qa.rubric')}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {rubrics.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
    </label>
  );
}
