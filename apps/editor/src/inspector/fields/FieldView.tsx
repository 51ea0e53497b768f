import type { FieldModel } from '../model/field-model';
import type { Path } from '../model/paths';
import { AnyField } from './AnyField';
import { BooleanField, EnumField, MultiEnumField } from './ChoiceFields';
import { formatWidget } from './formats';
import { ListField } from './ListField';
import { NumberField } from './NumberField';
import { ObjectField, VariantField } from './ObjectFields';
import { RecordField } from './RecordField';
import { TagsField } from './TagsField';
import { TextField } from './TextField';

export interface FieldProps {
  model: FieldModel;
  path: Path;
  value: unknown;
  /** Required in the current mode (overrides the schema's flag). */
  required?: boolean;
  /** Without label and help: list items and variant branches. */
  bare?: boolean;
  extraProblems?: readonly string[];
}

/** One param field: a registered widget for its format, else the widget of its kind. */
export function FieldView(props: FieldProps) {
  const Widget = props.model.format ? formatWidget(props.model.format) : undefined;
  const renderDefault = () => <KindView {...props} />;
  if (Widget) return <Widget {...props} renderDefault={renderDefault} />;
  return renderDefault();
}

function KindView({ model, path, value, required, bare, extraProblems }: FieldProps) {
  switch (model.kind) {
    case 'text':
      return (
        <TextField
          model={model}
          path={path}
          value={value}
          bare={bare}
          required={required}
          extraProblems={extraProblems}
        />
      );
    case 'number':
      return <NumberField model={model} path={path} value={value} bare={bare} required={required} />;
    case 'boolean':
      return <BooleanField model={model} path={path} value={value} bare={bare} />;
    case 'enum':
      return <EnumField model={model} path={path} value={value} bare={bare} required={required} />;
    case 'multiEnum':
      return <MultiEnumField model={model} path={path} value={value} />;
    case 'tags':
      return <TagsField model={model} path={path} value={value} />;
    case 'list':
      return <ListField model={model} path={path} value={value} />;
    case 'record':
      return <RecordField model={model} path={path} value={value} />;
    case 'object':
      return <ObjectField model={model} path={path} value={value} />;
    case 'variant':
      return <VariantField model={model} path={path} value={value} required={required} />;
    case 'any':
      return <AnyField model={model} path={path} value={value} bare={bare} required={required} />;
  }
}
