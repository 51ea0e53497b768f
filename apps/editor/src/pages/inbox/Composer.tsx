import { useState } from 'react';
import { t } from '../../i18n';
import { TemplatePicker } from '../templates/TemplatePicker';
import { composerMode } from './model';

export interface ComposerProps {
  windowIsOpen: boolean;
  /** Sends a WhatsApp message (text or template); rejects with the server's refusal. */
  onSend(message: unknown): Promise<boolean>;
  onNote(text: string): Promise<boolean>;
  disabled: boolean;
  /** The conversation's channel: the picker offers that account's approved templates. */
  channelId?: string;
}

/**
 * Free text inside the 24-hour window; outside it the text box gives way to the template picker (an
 * approved template by name, then each of its parameters), as WhatsApp's policy wants. "Internal note" writes for colleagues only.
 */
export function Composer({ windowIsOpen, onSend, onNote, disabled, channelId }: ComposerProps) {
  const [noteMode, setNoteMode] = useState(false);
  const [text, setText] = useState('');
  const mode = composerMode(noteMode, windowIsOpen);

  const submitText = async () => {
    const body = text.trim();
    if (!body) return;
    const ok = mode === 'note' ? await onNote(body) : await onSend({ type: 'text', text: body });
    if (ok) setText('');
  };

  return (
    <div className={`sb-inbox-composer is-${mode}`} data-testid="composer" data-mode={mode}>
      <div className="sb-inbox-composer-bar">
        <label className="sb-inbox-toggle">
          <input
            type="checkbox"
            checked={noteMode}
            onChange={(e) => setNoteMode(e.target.checked)}
            data-testid="composer-note-toggle"
          />
          {t('inbox.noteToggle')}
        </label>
        {!windowIsOpen ? (
          <span className="sb-badge is-warn" data-testid="window-closed">
            {t('inbox.windowClosed')}
          </span>
        ) : null}
      </div>
      {mode === 'template' ? (
        <div className="sb-inbox-template">
          <p className="sb-muted">{t('inbox.template.help')}</p>
          <TemplatePicker onSend={onSend} disabled={disabled} {...(channelId ? { channelId } : {})} />
        </div>
      ) : (
        <form
          className="sb-inbox-compose-row"
          onSubmit={(e) => {
            e.preventDefault();
            void submitText();
          }}
        >
          <textarea
            value={text}
            rows={2}
            placeholder={t(mode === 'note' ? 'inbox.notePlaceholder' : 'inbox.textPlaceholder')}
            aria-label={t(mode === 'note' ? 'inbox.notePlaceholder' : 'inbox.textPlaceholder')}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                void submitText();
              }
            }}
            data-testid="composer-text"
            disabled={disabled}
          />
          <button
            type="submit"
            className="sb-primary"
            disabled={disabled || !text.trim()}
            data-testid="composer-send"
          >
            {t(mode === 'note' ? 'inbox.addNote' : 'inbox.send')}
          </button>
        </form>
      )}
    </div>
  );
}
