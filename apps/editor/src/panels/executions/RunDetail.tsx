import { useEffect, useState } from 'react';
import type { Execution, RunSummary } from '../../api/types';
import { useCan } from '../../auth/session';
import { t, useLang } from '../../i18n';
import { navigate } from '../../router';
import { errorNotice, useEditor } from '../../store/editor';
import { StepDetails } from '../StepDetails';
import { cancelRun, getRun, replayRun, wakeRun } from './api';
import { formatDateTime, formatDuration, isFinal, runDurationMs } from './format';
import { refreshShownRun } from './run-watcher';
import { StatusChip } from './StatusChip';
import { StepList } from './StepList';

/**
 * The selected run: its status, timing and error, what can be done with it (replay a finished one,
 * cancel or skip the wait of an unfinished one), and its steps. A run of the open flow is the shown
 * run (painted on the canvas, kept fresh by the run watcher); a run of another flow is read here only.
 */
export function RunDetail({
  summary,
  openFlowId,
  onReplayed,
  onChanged,
}: {
  summary: RunSummary;
  openFlowId: string;
  onReplayed: (runId: string) => void;
  onChanged: () => void;
}) {
  const lang = useLang();
  const onCanvas = summary.flowId === openFlowId;
  const shown = useEditor((s) => s.shownRun);
  const selectedNodes = useEditor((s) => s.selectedNodes);
  const notify = useEditor((s) => s.notify);
  const [other, setOther] = useState<Execution | null>(null);
  const [busy, setBusy] = useState(false);
  // Replaying, cancelling and skipping a wait change runs: not for read-only roles.
  const editable = useCan('editFlows');

  useEffect(() => {
    setOther(null);
    if (onCanvas) return;
    let stale = false;
    getRun(summary.id)
      .then((run) => {
        if (!stale) setOther(run);
      })
      .catch((error) => {
        if (!stale) notify(errorNotice(error));
      });
    return () => {
      stale = true;
    };
  }, [summary.id, onCanvas, notify]);

  const run = onCanvas ? (shown?.id === summary.id ? shown : null) : other;
  const view: RunSummary = run ?? summary;

  const act = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
    } catch (error) {
      notify(errorNotice(error));
    } finally {
      setBusy(false);
    }
  };

  const replay = () =>
    act(async () => {
      const { runId } = await replayRun(view.id);
      notify({ kind: 'info', text: t('exec.replayed') });
      onReplayed(runId);
    });
  const cancel = () =>
    act(async () => {
      await cancelRun(view.id);
      notify({ kind: 'info', text: t('exec.cancelled') });
      refreshShownRun();
      onChanged();
    });
  const skipWait = () =>
    act(async () => {
      await wakeRun(view.id);
      notify({ kind: 'info', text: t('exec.skipped') });
      refreshShownRun();
      onChanged();
    });

  return (
    <section className="sb-exec-detail" data-testid="execution-detail" data-run-id={view.id}>
      <header>
        <StatusChip status={view.status} />
        <code>{view.id}</code>
        <span className="sb-muted">{t('exec.version', { version: view.flowVersion })}</span>
      </header>
      <p className="sb-muted">
        {formatDateTime(view.createdAt, lang)} · {formatDuration(runDurationMs(view, Date.now()))}
        {view.contactId ? ` · ${view.contactId}` : ''}
      </p>
      {view.wakeAt && view.status === 'waiting' ? (
        <p className="sb-muted">{t('exec.wakesAt', { time: formatDateTime(view.wakeAt, lang) })}</p>
      ) : null}
      {view.error ? (
        <p className="sb-error" data-testid="execution-error">
          {view.error.code ? <code>{view.error.code}</code> : null} {view.error.message}
        </p>
      ) : null}
      <div className="sb-exec-actions">
        {!editable ? null : isFinal(view.status) ? (
          <button
            type="button"
            onClick={() => void replay()}
            disabled={busy}
            title={t('exec.replay.title')}
            data-testid="execution-replay"
          >
            {t('exec.replay')}
          </button>
        ) : (
          <>
            <button
              type="button"
              onClick={() => void cancel()}
              disabled={busy}
              data-testid="execution-cancel"
            >
              {t('exec.cancel')}
            </button>
            {view.status === 'waiting' && view.wakeAt ? (
              <button
                type="button"
                onClick={() => void skipWait()}
                disabled={busy}
                data-testid="execution-skip-wait"
              >
                {t('exec.skipWait')}
              </button>
            ) : null}
          </>
        )}
      </div>
      {!onCanvas ? (
        <p className="sb-exec-other">
          {t('exec.otherFlow', { flow: view.flowId })}{' '}
          <button
            type="button"
            className="sb-link"
            onClick={() => navigate(`/flows/${encodeURIComponent(view.flowId)}`)}
          >
            {t('exec.openFlow')}
          </button>
        </p>
      ) : null}
      <h3>{t('exec.steps')}</h3>
      {run ? (
        <StepList steps={run.steps} onCanvas={onCanvas} />
      ) : (
        <p className="sb-muted">{t('common.loading')}</p>
      )}
      {onCanvas && selectedNodes.length === 1 && selectedNodes[0] ? (
        <StepDetails nodeId={selectedNodes[0]} />
      ) : null}
    </section>
  );
}
