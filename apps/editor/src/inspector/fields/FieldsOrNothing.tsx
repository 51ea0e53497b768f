import { t } from '../../i18n';
import type { ObjectModel } from '../model/field-model';
import { ObjectFields } from './ObjectFields';

/** The top-level fields, or a line saying the node has nothing to set (a merge, say). */
export function FieldsOrNothing({ model, params }: { model: ObjectModel; params: Record<string, unknown> }) {
  if (model.fields.length === 0) return <p className="sbf-help">{t('form.nothingToSet')}</p>;
  return <ObjectFields model={model} path={[]} value={params} topLevel />;
}
