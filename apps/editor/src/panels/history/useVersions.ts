import type { Flow } from '@switchboard/flow-schema';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { errorNotice } from '../../store/editor';

/** One entry of `GET /api/flows/:id/versions` (newest first). */
export interface VersionItem {
  version: number;
  createdAt: string;
  /** false: that version is a draft with errors (absent on servers that predate drafts). */
  valid?: boolean;
}

/** A side of a comparison: a stored version, or the editor's unsaved document. */
export type CompareTarget = number | 'editor';

const flowPath = (flowId: string) => `/api/flows/${encodeURIComponent(flowId)}`;

/**
 * The flow's versions; fetched again whenever `latestVersion` changes (a save or a restore in the
 * editor adds one), so the list never lags behind the top bar.
 */
export function useVersionList(flowId: string, latestVersion: number) {
  const [items, setItems] = useState<VersionItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new latest version means the list grew.
  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    api
      .get<{ items: VersionItem[] }>(`${flowPath(flowId)}/versions`, { signal: controller.signal })
      .then((answer) => setItems(answer.items))
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(errorNotice(e).text);
      });
    return () => controller.abort();
  }, [flowId, latestVersion]);

  return { items, error };
}

/**
 * The documents of the stored versions asked for. Stored versions never change, so each is fetched
 * once per panel and kept; a failed fetch is forgotten so that picking the version again retries.
 */
export function useVersionDocuments(flowId: string, wanted: readonly CompareTarget[]) {
  const [documents, setDocuments] = useState<ReadonlyMap<number, Flow>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const requested = useRef(new Set<number>());
  const key = wanted.join(',');

  useEffect(() => {
    setError(null);
    for (const part of key.split(',')) {
      const version = Number(part);
      if (!Number.isInteger(version) || requested.current.has(version)) continue;
      requested.current.add(version);
      api
        .get<Flow>(`${flowPath(flowId)}/versions/${version}`)
        .then((doc) => setDocuments((current) => new Map(current).set(version, doc)))
        .catch((e: unknown) => {
          requested.current.delete(version);
          setError(errorNotice(e).text);
        });
    }
  }, [flowId, key]);

  return { documents, error };
}
