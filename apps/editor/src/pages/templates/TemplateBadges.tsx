import { t } from '../../i18n';
import type { TemplateRecord } from './types';

const STATUS_CLASS: Record<string, string> = { APPROVED: 'is-on', PENDING: 'is-warn', PAUSED: 'is-warn' };

/** Language, category and (unless approved is all the reader needs) status, as small badges. */
export function TemplateBadges({ template, status = false }: { template: TemplateRecord; status?: boolean }) {
  return (
    <>
      <span className="sb-badge" data-testid="template-language-badge">
        {template.language}
      </span>
      <span className="sb-badge" data-testid="template-category-badge">
        {t(`templates.category.${template.category}`)}
      </span>
      {status ? (
        <span
          className={`sb-badge ${STATUS_CLASS[template.status] ?? 'is-bad'}`}
          data-testid="template-status"
        >
          {template.status}
        </span>
      ) : null}
    </>
  );
}
