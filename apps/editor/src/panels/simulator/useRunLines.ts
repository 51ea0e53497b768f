import type { RunSummary } from '@switchboard/flow-schema';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Execution } from '../../api/types';
import { errorNotice, useEditor } from '../../store/editor';
import { getRun } from '../executions/api';
import { refreshShownRun, showRun } from '../executions/run-watcher';
import { type SystemLine, systemLines } from './system-lines';

const summaryKey = (r: RunSummary) => `${r.status}:${r.wakeAt ?? ''}:${r.finishedAt ?? ''}`;

/**
 * The system lines of every run in the conversation, and the canvas following the newest run. The
 * newest run is the shown run (the run watcher keeps its steps fresh); older runs are read once more
 * whenever their summary changes, which after they end is never.
 */
export function useRunLines(runs: readonly RunSummary[]): SystemLine[] {
  const shownRun = useEditor((s) => s.shownRun);
  const notify = useEditor((s) => s.notify);
  const [details, setDetails] = useState<ReadonlyMap<string, Execution>>(new Map());
  const asked = useRef(new Map<string, string>());

  const latest = useMemo(
    () => runs.reduce<RunSummary | null>((a, r) => (!a || r.createdAt >= a.createdAt ? r : a), null),
    [runs],
  );

  // Follow the newest run on the canvas; when its summary moves on (a reply resumed it), read it now.
  const followed = useRef<string | null>(null);
  useEffect(() => {
    if (!latest) return;
    const store = useEditor.getState();
    if (followed.current !== latest.id || store.shownRunId !== latest.id) {
      followed.current = latest.id;
      showRun(latest.id);
    } else if (store.shownRun && summaryKey(store.shownRun) !== summaryKey(latest)) {
      refreshShownRun();
    }
  }, [latest]);

  useEffect(() => {
    for (const run of runs) {
      if (run.id === latest?.id) continue;
      const key = summaryKey(run);
      if (asked.current.get(run.id) === key) continue;
      asked.current.set(run.id, key);
      getRun(run.id)
        .then((detail) => setDetails((d) => new Map(d).set(detail.id, detail)))
        .catch((error) => {
          asked.current.delete(run.id);
          notify(errorNotice(error));
        });
    }
  }, [runs, latest, notify]);

  return useMemo(
    () =>
      runs.flatMap((run) => {
        const detail = run.id === shownRun?.id ? shownRun : details.get(run.id);
        return detail ? systemLines(detail, detail.steps) : [];
      }),
    [runs, shownRun, details],
  );
}
