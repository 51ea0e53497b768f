import { useEffect, useRef } from 'react';
import { t, useLang } from '../../i18n';
import { formatClockTime } from '../executions/format';
import { useNodeTitle } from '../executions/useNodeTitle';
import { Bubble } from './Bubble';
import type { Choice } from './content';
import { buildTimeline } from './conversation';
import { type SystemLine, wordLine } from './system-lines';
import type { ChatMessage } from './types';

/** The chat: bubbles and the flow's decisions between them, kept scrolled to the newest. */
export function ChatView({
  messages,
  lines,
  onChoose,
}: {
  messages: readonly ChatMessage[];
  lines: readonly SystemLine[];
  onChoose: (choice: Choice) => void;
}) {
  const lang = useLang();
  const nodeTitle = useNodeTitle();
  const items = buildTimeline(messages, lines);
  const bottom = useRef<HTMLDivElement>(null);
  const last = items.at(-1)?.key;

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll when the newest item changes
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [last, items.length]);

  const ctx = { t, nodeTitle, formatTime: (iso: string) => formatClockTime(iso, lang) };
  return (
    <div className="sim-chat" data-testid="sim-chat">
      {items.length === 0 ? <p className="sim-empty">{t('sim.empty')}</p> : null}
      {items.map((item) =>
        item.kind === 'message' ? (
          <Bubble key={item.key} message={item.message} onChoose={onChoose} />
        ) : (
          <div
            key={item.key}
            className={`sim-system kind-${item.line.kind}`}
            data-testid="sim-system-line"
            data-kind={item.line.kind}
          >
            <span>{wordLine(item.line, ctx)}</span>
          </div>
        ),
      )}
      <div ref={bottom} />
    </div>
  );
}
