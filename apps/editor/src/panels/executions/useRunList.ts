import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunSummary } from '../../api/types';
import { errorNotice } from '../../store/editor';
import { listRuns, type RunFilter } from './api';
import { appendRunPage, createdWithin, mergeRunLists } from './format';

/** New runs appear without a click while the panel is open. */
const REFRESH_MS = 5_000;

/**
 * The executions list: the first page for the filter, "load more" through the cursor, and a quiet
 * refresh of the first page that adds new runs on top and updates statuses.
 */
/** `filter` must keep its identity while it does not change (memoize it). */
export function useRunList(filter: RunFilter) {
  const [items, setItems] = useState<RunSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The filter (memoized by the caller) of the latest request, so an answer for an old filter is dropped.
  const current = useRef(filter);
  current.current = filter;

  const within = useCallback(
    (runs: RunSummary[]) => runs.filter((r) => createdWithin(r, filter.from ?? null, filter.to ?? null)),
    [filter.from, filter.to],
  );

  const refresh = useCallback(
    async (reset: boolean) => {
      const asked = filter;
      if (reset) setLoading(true);
      try {
        const page = await listRuns(filter);
        if (current.current !== asked) return;
        setItems((shown) => (reset ? within(page.items) : mergeRunLists(shown, within(page.items))));
        if (reset) setCursor(page.nextCursor);
        setError(null);
      } catch (e) {
        if (current.current === asked) setError(errorNotice(e).text);
      } finally {
        if (reset && current.current === asked) setLoading(false);
      }
    },
    [filter, within],
  );

  useEffect(() => {
    setItems([]);
    setCursor(null);
    void refresh(true);
    const timer = setInterval(() => void refresh(false), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const loadMore = useCallback(async () => {
    if (!cursor) return;
    const asked = filter;
    setLoading(true);
    try {
      const page = await listRuns(filter, cursor);
      if (current.current !== asked) return;
      setItems((shown) => appendRunPage(shown, within(page.items)));
      setCursor(page.nextCursor);
      setError(null);
    } catch (e) {
      setError(errorNotice(e).text);
    } finally {
      setLoading(false);
    }
  }, [cursor, filter, within]);

  return { items, hasMore: cursor !== null, loading, error, loadMore, refresh: () => refresh(false) };
}
