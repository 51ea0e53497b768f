import { useCallback, useMemo, useState } from 'react';
import type { RunSummary } from '../api/types';
import { t, useLang } from '../i18n';
import { useEditor } from '../store/editor';
import type { RunFilter } from './executions/api';
import './executions/executions.css';
import { localInputToIso } from './executions/format';
import { RunDetail } from './executions/RunDetail';
import { type FilterState, NO_FILTER, RunFilters } from './executions/RunFilters';
import { RunList } from './executions/RunList';
import { showRun } from './executions/run-watcher';
import { useRunList } from './executions/useRunList';

/**
 * The open flow's runs (or every flow's), newest first. Picking one paints its path on the canvas and
 * lists its steps; a step opens its node's input, output and error.
 */
export function ExecutionsPanel() {
  useLang();
  const flowId = useEditor((s) => s.record?.id) ?? '';
  const shownRunId = useEditor((s) => s.shownRunId);
  const shownRun = useEditor((s) => s.shownRun);
  const [filter, setFilter] = useState<FilterState>(NO_FILTER);
  // A run of another flow cannot be painted here, so it is remembered apart from the shown run.
  const [picked, setPicked] = useState<RunSummary | null>(null);

  const query = useMemo<RunFilter>(() => {
    const from = localInputToIso(filter.from);
    const to = localInputToIso(filter.to);
    return {
      ...(filter.allFlows ? {} : { flowId }),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.contact ? { contactId: filter.contact } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    };
  }, [filter, flowId]);
  const list = useRunList(query);

  // The shown run may be missing from the list (filtered out, or just replayed): its record stands in.
  const selected =
    picked ??
    (shownRunId
      ? (list.items.find((r) => r.id === shownRunId) ?? (shownRun?.id === shownRunId ? shownRun : null))
      : null);

  const select = (run: RunSummary) => {
    if (run.flowId === flowId) {
      setPicked(null);
      showRun(run.id);
    } else {
      setPicked(run);
    }
  };

  const { refresh } = list;
  const onReplayed = useCallback(
    (runId: string) => {
      setPicked(null);
      showRun(runId);
      void refresh();
    },
    [refresh],
  );

  return (
    <div className="sb-exec" data-testid="executions">
      <RunFilters value={filter} onChange={setFilter} />
      <div className="sb-exec-bar">
        <button type="button" onClick={() => void refresh()} data-testid="execution-refresh">
          {t('exec.refresh')}
        </button>
        {list.loading ? <span className="sb-muted">{t('common.loading')}</span> : null}
        <span className="sb-spacer" />
        {selected ? (
          <button
            type="button"
            className="sb-link"
            onClick={() => {
              setPicked(null);
              showRun(null);
            }}
            data-testid="execution-hide"
          >
            {t('exec.hideRun')}
          </button>
        ) : null}
      </div>
      {list.error ? <p className="sb-error sb-exec-pad">{list.error}</p> : null}
      {!list.loading && !list.error && list.items.length === 0 ? (
        <p className="sb-muted sb-exec-pad" data-testid="execution-empty">
          {t('exec.empty')}
        </p>
      ) : null}
      <RunList
        items={list.items}
        selectedId={selected?.id ?? null}
        showFlow={filter.allFlows}
        onSelect={select}
      />
      {list.hasMore ? (
        <button
          type="button"
          className="sb-exec-more"
          onClick={() => void list.loadMore()}
          disabled={list.loading}
          data-testid="execution-load-more"
        >
          {t('exec.loadMore')}
        </button>
      ) : null}
      {selected ? (
        <RunDetail
          key={selected.id}
          summary={selected}
          openFlowId={flowId}
          onReplayed={onReplayed}
          onChanged={() => void refresh()}
        />
      ) : null}
    </div>
  );
}
