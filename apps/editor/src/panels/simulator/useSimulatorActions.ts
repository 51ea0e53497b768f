import type { RunSummary } from '@switchboard/flow-schema';
import { useState } from 'react';
import { t } from '../../i18n';
import { errorNotice, useEditor } from '../../store/editor';
import { wakeRun } from '../executions/api';
import { refreshShownRun, showRun } from '../executions/run-watcher';
import { simulatorApi } from './api';
import type { CustomerMessage } from './types';

/**
 * What the simulator does on the server. Sending first saves unsaved edits (the simulator runs the
 * saved flow, and must run what the user sees), and never loses the typed text on a failure.
 */
export function useSimulatorActions({
  waId,
  clock,
  runs,
  pollNow,
  reset,
}: {
  waId: string | null;
  /** The clock override to send; null when it is on but not valid. */
  clock: string | null | undefined;
  runs: readonly RunSummary[];
  pollNow: () => void;
  reset: () => void;
}) {
  const notify = useEditor((s) => s.notify);
  const [busy, setBusy] = useState(false);

  const send = async (part: { text: string } | { message: CustomerMessage }): Promise<boolean> => {
    if (!waId) return false;
    if (clock === null) {
      notify({ kind: 'error', text: t('sim.clock.invalid') });
      return false;
    }
    const store = useEditor.getState();
    if (store.flow !== store.saved) {
      if (!(await store.save())) {
        // save() has put its reason in the notice; keep it, and say that nothing was sent.
        const reason = useEditor.getState().notice;
        notify({
          kind: 'error',
          text: `${t('sim.saveFailed')} ${reason?.kind === 'error' ? reason.text : ''}`.trim(),
          problems: reason?.problems ?? [],
        });
        return false;
      }
      notify({
        kind: 'info',
        text: t('sim.savedFirst', { version: useEditor.getState().record?.version ?? '' }),
      });
    }
    const flowId = useEditor.getState().record?.id;
    if (!flowId) return false;
    try {
      await simulatorApi.send({ flowId, from: waId, ...part, ...(clock ? { clock } : {}) });
      pollNow();
      refreshShownRun();
      return true;
    } catch (error) {
      notify(errorNotice(error));
      return false;
    }
  };

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      notify(errorNotice(error));
    } finally {
      setBusy(false);
    }
  };

  /** The newest run that waits on a delay or a reply timeout (the one "skip the wait" moves on). */
  const waitingRun = [...runs]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .find((r) => r.status === 'waiting' && r.wakeAt !== null);

  return {
    busy,
    send,
    waitingRun,
    restart: () =>
      run(async () => {
        if (!waId) return;
        await simulatorApi.restart(waId);
        showRun(null);
        reset();
        notify({ kind: 'info', text: t('sim.restarted') });
      }),
    fault: (fault: { code: number; title: string }) =>
      run(async () => {
        if (!waId) return;
        await simulatorApi.fault({ waId, code: fault.code, title: fault.title, times: 1 });
        notify({ kind: 'info', text: t('sim.fault.done', fault) });
      }),
    skipWait: () =>
      run(async () => {
        if (!waitingRun) return;
        await wakeRun(waitingRun.id);
        notify({ kind: 'info', text: t('sim.skipped') });
        refreshShownRun();
        pollNow();
      }),
  };
}
