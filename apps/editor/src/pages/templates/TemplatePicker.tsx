import { useState } from 'react';
import { t } from '../../i18n';
import type { TemplateValues } from '../../templates/slots';
import { missingValues, templateSend } from './model';
import { TemplateChooser, TemplateParamFields } from './TemplateChooser';
import './templates.css';
import type { TemplateRecord } from './types';

export interface TemplatePickerProps {
  /** Only this channel's templates (the conversation's); every channel's when absent. */
  channelId?: string;
  /** Sends the built template message; resolves true when it went (the picker then clears). */
  onSend(message: ReturnType<typeof templateSend>): Promise<boolean>;
  disabled?: boolean;
}

/**
 * Picks an approved template by name (showing its language and category), asks for each of its
 * parameters (header, body, URL buttons) with a preview, and says which are still empty before sending.
 */
export function TemplatePicker({ channelId, onSend, disabled }: TemplatePickerProps) {
  const [picked, setPicked] = useState<TemplateRecord | null>(null);
  const [values, setValues] = useState<TemplateValues>({});
  const [missing, setMissing] = useState<string[]>([]);

  const send = async () => {
    if (!picked) return;
    const empty = missingValues(picked.parameters, values);
    setMissing(empty);
    if (empty.length) return;
    if (await onSend(templateSend(picked, values))) {
      setPicked(null);
      setValues({});
    }
  };

  return (
    <div className="sb-template-picker" data-testid="template-picker">
      {!picked ? (
        <TemplateChooser
          {...(channelId ? { channelId } : {})}
          onPick={(x) => {
            setPicked(x);
            setValues({});
            setMissing([]);
          }}
        />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
          data-testid="template-form"
        >
          <TemplateParamFields
            template={picked}
            values={values}
            onChange={setValues}
            onChangeTemplate={() => setPicked(null)}
          />
          {missing.length ? (
            <p className="sb-error" data-testid="template-missing">
              {t('picker.missing', { fields: missing.join(', ') })}
            </p>
          ) : null}
          <button type="submit" className="sb-primary" disabled={disabled} data-testid="template-send">
            {t('picker.send')}
          </button>
        </form>
      )}
    </div>
  );
}
