import { useState } from 'react';
import { getLang, t } from '../../i18n';
import { composerMode, templateMessage, templateProblem } from './model';

export interface ComposerProps {
  windowIsOpen: boolean;
  /** Sends a WhatsApp message (text or template); rejects with the server's refusal. */
  onSend(message: unknown): Promise<boolean>;
  onNote(text: string): Promise<boolean>;
  disabled: boolean;
}

/**
 * Free text inside the 24-hour window; outside it the text box gives way to a template picker (name,
 * language, body parameters), as WhatsApp's policy wants. "Internal note" writes for colleagues only.
 */
export function Composer({ windowIsOpen, onSend, onNote, disabled }: ComposerProps) {
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
        <TemplatePicker onSend={onSend} disabled={disabled} />
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

/** An approved template by name and language, with its body parameters {{1}}, {{2}}… in order. */
function TemplatePicker({ onSend, disabled }: { onSend: ComposerProps['onSend']; disabled: boolean }) {
  const [name, setName] = useState('');
  // The agent's own language is the likeliest guess; templates are approved per language code.
  const [language, setLanguage] = useState<string>(() => getLang());
  const [params, setParams] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const send = async () => {
    const input = { name, language, params };
    const wrong = templateProblem(input);
    setProblem(wrong);
    if (wrong) return;
    if (await onSend(templateMessage(input))) {
      setName('');
      setParams([]);
    }
  };
  return (
    <form
      className="sb-inbox-template"
      data-testid="template-picker"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <p className="sb-muted">{t('inbox.template.help')}</p>
      <div className="sb-inbox-template-row">
        <label>
          {t('inbox.template.name')}
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="order_update"
            data-testid="template-name"
          />
        </label>
        <label>
          {t('inbox.template.language')}
          <input
            value={language}
            onChange={(e) => setLanguage(e.target.value)}
            size={6}
            data-testid="template-language"
          />
        </label>
      </div>
      {params.map((value, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: positions are the identity of template parameters
        <div className="sb-inbox-template-row" key={i}>
          <label>
            {`{{${i + 1}}}`}
            <input
              value={value}
              onChange={(e) => setParams(params.map((p, j) => (j === i ? e.target.value : p)))}
              data-testid={`template-param-${i + 1}`}
            />
          </label>
          <button
            type="button"
            className="sb-link"
            onClick={() => setParams(params.filter((_, j) => j !== i))}
            aria-label={t('inbox.template.removeParam')}
          >
            ×
          </button>
        </div>
      ))}
      <div className="sb-inbox-template-row">
        <button type="button" onClick={() => setParams([...params, ''])} data-testid="template-add-param">
          {t('inbox.template.addParam')}
        </button>
        <span className="sb-spacer" />
        <button type="submit" className="sb-primary" disabled={disabled} data-testid="template-send">
          {t('inbox.template.send')}
        </button>
      </div>
      {problem ? (
        <p className="sb-error" data-testid="template-problem">
          {t(problem)}
        </p>
      ) : null}
    </form>
  );
}
