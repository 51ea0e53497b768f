import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import type { TeamRecord } from '../../api/types';
import { useAuth } from '../../auth/session';
import {
  listAgents,
  listConversations,
  listTeams,
  loadConversation,
  loadOlder,
  STREAM_PATH,
} from './inbox-api';
import { followStream, type StreamStatus } from './stream';
import type { ConversationDetail, InboxAgent, InboxConversation, TimelineItem } from './types';

/** How often the inbox refetches while its event stream is not connected. */
const FALLBACK_POLL_MS = 20_000;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The current time, moved on every second (SLA countdowns, the 24-hour window). */
export function useNow(stepMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), stepMs);
    return () => clearInterval(timer);
  }, [stepMs]);
  return now;
}

export interface InboxData {
  conversations: InboxConversation[] | null;
  teams: TeamRecord[];
  /** The agent the signed-in user works as; null for someone who is no agent (an owner with a key). */
  me: InboxAgent | null;
  /** The open conversation, its history including the earlier pages fetched so far. */
  detail: ConversationDetail | null;
  /** The open conversation is not (or no longer) in the caller's inbox: transferred away, say. */
  gone: boolean;
  /** Fetches the page of history before what is shown; null when there is none. */
  loadEarlier: (() => Promise<void>) | null;
  error: string | null;
  stream: StreamStatus;
  /** Fetches the list and the open conversation again (after an action). */
  refresh(): Promise<void>;
  setMe(agent: InboxAgent): void;
}

/**
 * Everything the inbox shows, kept current by the server's event stream: any `conversation` or
 * `message` event refetches the list and the open conversation (events carry only ids), and every
 * (re)connection refetches too, for what happened while the stream was down.
 */
export function useInbox(openId: string | null): InboxData {
  const userId = useAuth((s) => s.user?.id ?? null);
  const [conversations, setConversations] = useState<InboxConversation[] | null>(null);
  const [teams, setTeams] = useState<TeamRecord[]>([]);
  const [me, setMe] = useState<InboxAgent | null>(null);
  const [detail, setDetail] = useState<ConversationDetail | null>(null);
  const [earlier, setEarlier] = useState<{ items: TimelineItem[]; cursor: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [gone, setGone] = useState(false);
  const [stream, setStream] = useState<StreamStatus>('connecting');
  /** The open conversation, for answers that arrive after the user opened another one. */
  const openRef = useRef(openId);

  const refreshList = useCallback(async () => {
    try {
      setConversations(await listConversations());
      setError(null);
    } catch (e) {
      setError(message(e));
    }
  }, []);

  const refreshOpen = useCallback(async () => {
    const id = openRef.current;
    if (!id) return;
    try {
      const next = await loadConversation(id);
      if (openRef.current === id) setDetail(next);
    } catch (e) {
      if (openRef.current !== id) return;
      if (e instanceof ApiError && e.status === 404) {
        setDetail(null);
        setGone(true);
      } else setError(message(e));
    }
  }, []);

  const refresh = useCallback(async () => {
    await Promise.all([refreshList(), refreshOpen()]);
  }, [refreshList, refreshOpen]);

  // Teams (names, transfer targets) and the agent the user works as, once.
  useEffect(() => {
    void listTeams().then(setTeams, (e) => setError(message(e)));
    if (!userId) return;
    void listAgents().then(
      (agents) => setMe(agents.find((a) => a.userId === userId) ?? null),
      () => setMe(null),
    );
  }, [userId]);

  // Opening another conversation: drop the last one's pane at once, then load this one.
  useEffect(() => {
    openRef.current = openId;
    setDetail(null);
    setEarlier(null);
    setGone(false);
    void refreshOpen();
  }, [openId, refreshOpen]);

  // The stream, and coalesced refetches: a burst of events (a message and its statuses) is one fetch.
  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const soon = () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        void refresh();
      }, 150);
    };
    void refreshList();
    followStream(
      STREAM_PATH,
      {
        // `conversation` and `message` events carry ids only: whatever changed, fetch what is shown.
        onEvent: soon,
        onOpen: soon,
        onStatus: setStream,
      },
      controller.signal,
    );
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [refresh, refreshList]);

  // While the stream is down, fetch now and then anyway: the screen never stays stale for long.
  useEffect(() => {
    if (stream === 'live') return;
    const timer = setInterval(() => void refresh(), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [stream, refresh]);

  const cursor = earlier ? earlier.cursor : (detail?.olderCursor ?? null);
  const loadEarlier = useCallback(async () => {
    const id = openRef.current;
    if (!id || !cursor) return;
    try {
      const page = await loadOlder(id, cursor);
      if (openRef.current !== id) return;
      setEarlier((shown) => ({
        items: [...page.timeline, ...(shown?.items ?? [])],
        cursor: page.olderCursor,
      }));
    } catch (e) {
      setError(message(e));
    }
  }, [cursor]);

  // Earlier pages go before the newest one (which every refetch replaces); an entry in both shows once.
  const shown = detail && earlier ? withEarlier(detail, earlier.items) : detail;
  return {
    conversations,
    teams,
    me,
    detail: shown,
    gone,
    loadEarlier: cursor ? loadEarlier : null,
    error,
    stream,
    refresh,
    setMe,
  };
}

function withEarlier(detail: ConversationDetail, items: TimelineItem[]): ConversationDetail {
  const newest = new Set(detail.timeline.map((i) => i.id));
  return { ...detail, timeline: [...items.filter((i) => !newest.has(i.id)), ...detail.timeline] };
}
