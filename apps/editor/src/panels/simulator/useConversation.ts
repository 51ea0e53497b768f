import type { RunSummary } from '@switchboard/flow-schema';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorNotice } from '../../store/editor';
import { simulatorApi } from './api';
import { mergeMessages, messagesChanged } from './conversation';
import type { ChatMessage } from './types';

/** Quick while the flow is moving; each quiet poll doubles the pause, up to a few seconds. */
const FAST_MS = 400;
const SLOWEST_MS = 3_000;

const runsKey = (runs: readonly RunSummary[]) =>
  runs.map((r) => `${r.id}:${r.status}:${r.wakeAt ?? ''}:${r.finishedAt ?? ''}`).join('|');

/**
 * The test contact's chat and runs, polled while the simulator is open: `after` asks only for what is
 * new or changed since the last answer. `pollNow` is for right after sending something.
 */
export function useConversation(waId: string | null) {
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [pollError, setPollError] = useState<string | null>(null);
  /** Bumped by `reset` (a fresh start) to read the conversation from the beginning again. */
  const [generation, setGeneration] = useState(0);
  const pollNowRef = useRef<() => void>(() => {});

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation restarts the poll from scratch
  useEffect(() => {
    setMessages([]);
    setRuns([]);
    setPollError(null);
    if (!waId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let quietPolls = 0;
    let cursor: string | null = null;
    let shown: ChatMessage[] = [];
    let lastRuns = '';
    const abort = new AbortController();

    const schedule = () => {
      if (!stopped) timer = setTimeout(tick, Math.min(SLOWEST_MS, FAST_MS * 2 ** quietPolls));
    };
    const tick = async () => {
      timer = undefined;
      inFlight = true;
      try {
        const answer = await simulatorApi.conversation(waId, cursor, abort.signal);
        if (stopped) return;
        cursor = answer.cursor ?? null;
        const newMessages = messagesChanged(shown, answer.messages);
        const key = runsKey(answer.runs);
        const newRuns = key !== lastRuns;
        if (newMessages) {
          shown = mergeMessages(shown, answer.messages);
          setMessages(shown);
        }
        if (newRuns) {
          lastRuns = key;
          setRuns(answer.runs);
        }
        const moving = answer.runs.some((r) => r.status === 'queued' || r.status === 'running');
        quietPolls = newMessages || newRuns || moving ? 0 : quietPolls + 1;
        setPollError(null);
      } catch (error) {
        if (stopped) return;
        setPollError(errorNotice(error).text);
        quietPolls = Math.max(quietPolls, 3);
      } finally {
        inFlight = false;
      }
      schedule();
    };
    pollNowRef.current = () => {
      quietPolls = 0;
      if (inFlight || stopped) return; // the answer under way is followed by a quick poll
      if (timer) clearTimeout(timer);
      void tick();
    };
    void tick();
    return () => {
      stopped = true;
      abort.abort();
      if (timer) clearTimeout(timer);
      pollNowRef.current = () => {};
    };
  }, [waId, generation]);

  const pollNow = useCallback(() => pollNowRef.current(), []);
  const reset = useCallback(() => setGeneration((g) => g + 1), []);
  return { messages, runs, pollError, pollNow, reset };
}
