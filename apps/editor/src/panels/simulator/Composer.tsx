import { useState } from 'react';
import { t } from '../../i18n';

/** The customer's text box: Enter sends; the text stays when sending fails. */
export function Composer({
  disabled,
  onSend,
}: {
  disabled: boolean;
  onSend: (text: string) => Promise<boolean>;
}) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const send = async () => {
    const body = text.trim();
    if (!body || sending) return;
    setSending(true);
    try {
      if (await onSend(body)) setText('');
    } finally {
      setSending(false);
    }
  };
  return (
    <form
      className="sim-composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <input
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={t('sim.input')}
        disabled={disabled}
        maxLength={4096}
        aria-label={t('sim.input')}
        data-testid="sim-input"
      />
      <button
        type="submit"
        className="sim-send"
        disabled={disabled || sending || !text.trim()}
        aria-label={t('sim.send')}
        title={t('sim.send')}
        data-testid="sim-send"
      >
        ➤
      </button>
    </form>
  );
}
