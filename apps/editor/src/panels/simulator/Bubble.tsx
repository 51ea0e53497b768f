import { t, useLang } from '../../i18n';
import { formatClockTime } from '../executions/format';
import { bubbleContent, type Choice } from './content';
import { tickFor } from './conversation';
import type { ChatMessage } from './types';

/**
 * One chat bubble. The customer's messages (yours, in the simulator) are on the right, the bot's on the
 * left; both carry WhatsApp's ticks. The bot's reply buttons and list rows can be tapped.
 */
export function Bubble({ message, onChoose }: { message: ChatMessage; onChoose: (choice: Choice) => void }) {
  const lang = useLang();
  const content = bubbleContent(message);
  const tick = tickFor(message.status);
  const mine = message.direction === 'in';
  const note = content.note
    ? t(content.note.key, {
        ...content.note.vars,
        ...(content.note.vars.kind ? { kind: t(`sim.media.${content.note.vars.kind}`) } : {}),
      })
    : null;
  return (
    <div className={`sim-msg ${mine ? 'is-customer' : 'is-bot'}`}>
      <div
        className={`sim-bubble tone-${tick.tone}`}
        data-testid={mine ? 'sim-msg-in' : 'sim-msg-out'}
        data-status={message.status}
        data-message-id={message.id}
      >
        {note ? <div className="sim-note">{note}</div> : null}
        {content.header ? <div className="sim-header">{content.header}</div> : null}
        {content.body ? <div className="sim-text">{content.body}</div> : null}
        {content.footer ? <div className="sim-footer">{content.footer}</div> : null}
        <div className="sim-meta">
          <time dateTime={message.at}>{formatClockTime(message.at, lang)}</time>
          <span className={`sim-tick tone-${tick.tone}`} title={t(tick.labelKey)} data-testid="sim-tick">
            {tick.glyph}
          </span>
        </div>
        {message.error && tick.tone === 'failed' ? (
          <div className="sim-failure" data-testid="sim-msg-error">
            <strong>{message.error.code}</strong> {message.error.title}
          </div>
        ) : null}
      </div>
      {!mine && content.choices.length > 0 ? (
        <div className="sim-choices">
          {content.listButton ? <div className="sim-list-button">☰ {content.listButton}</div> : null}
          {content.choices.map((choice) => (
            <button
              type="button"
              key={choice.id}
              onClick={() => onChoose(choice)}
              data-testid={`sim-button-${choice.id}`}
              title={choice.description}
            >
              {choice.title}
              {choice.description ? <small>{choice.description}</small> : null}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
