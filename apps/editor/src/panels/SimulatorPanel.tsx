import { useState } from 'react';
import { t, useLang } from '../i18n';
import { useEditor } from '../store/editor';
import { StatusChip } from './executions/StatusChip';
import { ChatView } from './simulator/ChatView';
import { ClockOverride, type ClockSetting, clockInstant } from './simulator/ClockOverride';
import { Composer } from './simulator/Composer';
import { ContactSection, rememberedContact } from './simulator/ContactSection';
import { browserTimeZone } from './simulator/clock';
import { SimToolbar } from './simulator/SimToolbar';
import './simulator/simulator.css';
import { useConversation } from './simulator/useConversation';
import { useRunLines } from './simulator/useRunLines';
import { useSimulatorActions } from './simulator/useSimulatorActions';

/**
 * Try the open flow as a customer, in a chat that looks like WhatsApp: on a sandbox channel, with a test
 * contact whose details (country, opt-in, 24-hour window) and clock can be set. The run's path lights
 * up on the canvas as it goes; the flow's decisions show as small lines in the chat.
 */
export function SimulatorPanel() {
  useLang();
  const [waId, setWaId] = useState<string | null>(rememberedContact);
  const [clock, setClock] = useState<ClockSetting>(() => ({
    enabled: false,
    local: '',
    timeZone: browserTimeZone(),
  }));
  const shownRun = useEditor((s) => s.shownRun);
  const flowName = useEditor((s) => s.flow?.name);
  const conversation = useConversation(waId);
  const lines = useRunLines(conversation.runs);
  const actions = useSimulatorActions({
    waId,
    clock: clockInstant(clock),
    runs: conversation.runs,
    pollNow: conversation.pollNow,
    reset: conversation.reset,
  });
  const latestRun = shownRun && conversation.runs.some((r) => r.id === shownRun.id) ? shownRun : null;

  return (
    <div className="sim" data-testid="simulator">
      <p className="sim-sandbox">{t('sim.sandbox')}</p>
      <ContactSection waId={waId} onChange={setWaId} />
      <ClockOverride value={clock} onChange={setClock} />
      <div className="sim-phone">
        <header className="sim-phone-head">
          <span className="sim-avatar" aria-hidden="true">
            {(flowName ?? '?').slice(0, 1).toUpperCase()}
          </span>
          <span className="sim-grow">
            <strong>{flowName}</strong>
            <small>{waId ? `+${waId}` : ''}</small>
          </span>
          {latestRun ? <StatusChip status={latestRun.status} /> : null}
        </header>
        <SimToolbar
          busy={actions.busy || !waId}
          canSkipWait={actions.waitingRun !== undefined}
          onRestart={() => void actions.restart()}
          onFault={(f) => void actions.fault(f)}
          onSkipWait={() => void actions.skipWait()}
        />
        <ChatView
          messages={conversation.messages}
          lines={lines}
          onChoose={(choice) => void actions.send({ message: choice.reply })}
        />
        {conversation.pollError ? (
          <p className="sim-poll-error">{t('sim.pollFailed', { message: conversation.pollError })}</p>
        ) : null}
        <Composer disabled={!waId} onSend={(text) => actions.send({ text })} />
      </div>
    </div>
  );
}
