import { errorNotice, useEditor } from '../../store/editor';
import { getRun } from './api';
import { isFinal } from './format';
import { stepsToRunState } from './run-state';

/** While nodes are running the path moves quickly; a waiting run changes only when something happens. */
const BUSY_POLL_MS = 400;
const WAITING_POLL_MS = 2_000;

/**
 * Keeps the shown run (store `shownRunId`) up to date on the canvas and in the inspector, whichever
 * panel asked for it and whichever tab is open: it polls `GET /api/executions/:id` until the run ends.
 * One run is watched at a time; showing another (or closing the flow) stops the previous watch.
 */
let watching: { id: string; timer: ReturnType<typeof setTimeout> | null; abort: AbortController } | null =
  null;

export function showRun(id: string | null): void {
  stopWatching();
  const store = useEditor.getState();
  if (id === null) {
    store.showRun(null, null, new Map());
    return;
  }
  // Keep the previous paint only if it is the same run (a refresh), so a new run never shows an old path.
  if (store.shownRunId !== id) store.showRun(id, null, new Map());
  watching = { id, timer: null, abort: new AbortController() };
  void poll(watching);
}

/** Reads the shown run now (after the simulator sent a message, the waiting run may move on). */
export function refreshShownRun(): void {
  const id = useEditor.getState().shownRunId;
  if (!id) return;
  if (watching?.id === id && watching.timer === null) return; // a read is under way
  showRun(id);
}

function stopWatching(): void {
  if (!watching) return;
  if (watching.timer) clearTimeout(watching.timer);
  watching.abort.abort();
  watching = null;
}

async function poll(watch: NonNullable<typeof watching>): Promise<void> {
  try {
    const run = await getRun(watch.id, watch.abort.signal);
    const store = useEditor.getState();
    if (watching !== watch || store.shownRunId !== watch.id || !store.flow) return;
    store.showRun(watch.id, run, stepsToRunState(run.steps));
    if (isFinal(run.status)) {
      watching = null;
      return;
    }
    watch.timer = setTimeout(
      () => {
        watch.timer = null;
        void poll(watch);
      },
      run.status === 'waiting' ? WAITING_POLL_MS : BUSY_POLL_MS,
    );
  } catch (error) {
    if (watch.abort.signal.aborted || watching !== watch) return;
    watching = null;
    useEditor.getState().notify(errorNotice(error));
  }
}

// Closing or switching the flow forgets the shown run; stop reading it then.
useEditor.subscribe((state) => {
  if (watching && state.shownRunId !== watching.id) stopWatching();
});
