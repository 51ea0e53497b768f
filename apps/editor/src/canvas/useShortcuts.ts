import type { FlowEdge, FlowNode } from '@switchboard/flow-schema';
import { useReactFlow } from '@xyflow/react';
import { useEffect } from 'react';
import { useEditor } from '../store/editor';
import { importFlowText } from '../store/import-export';
import { useFitNodes } from './useFitNodes';

const CLIPBOARD_KIND = 'switchboard/nodes';

interface Clip {
  kind: typeof CLIPBOARD_KIND;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

function selectionClip(): Clip | null {
  const { flow, selectedNodes } = useEditor.getState();
  if (!flow || selectedNodes.length === 0) return null;
  const ids = new Set(selectedNodes);
  return {
    kind: CLIPBOARD_KIND,
    nodes: flow.nodes.filter((n) => ids.has(n.id)),
    edges: flow.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  };
}

function removeSelection(): void {
  const { selectedNodes, selectedEdges, apply, select, flow } = useEditor.getState();
  if (!flow) return;
  if (selectedNodes.length > 0) {
    // Edges picked along with nodes go in the same undo step.
    const gone = new Set(selectedNodes);
    const extra = selectedEdges.filter((id) => {
      const e = flow.edges.find((x) => x.id === id);
      return e && !gone.has(e.source) && !gone.has(e.target);
    });
    apply({ op: 'removeNodes', ids: selectedNodes });
    if (extra.length > 0) useEditor.getState().apply({ op: 'disconnect', ids: extra });
  } else if (selectedEdges.length > 0) {
    apply({ op: 'disconnect', ids: selectedEdges });
  }
  select([], []);
}

/**
 * Keyboard shortcuts and the clipboard. Copy/paste use the browser's copy and paste events, so they
 * work without a clipboard permission prompt; pasting a whole flow document imports it.
 */
export function useShortcuts() {
  const { getInternalNode } = useReactFlow();
  const fitNodes = useFitNodes();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingInField(e.target)) return;
      const s = useEditor.getState();
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'z' && !e.shiftKey) {
        e.preventDefault();
        s.undo();
      } else if (mod && ((key === 'z' && e.shiftKey) || key === 'y')) {
        e.preventDefault();
        s.redo();
      } else if (mod && key === 's') {
        e.preventDefault();
        void s.save();
      } else if (mod && key === 'a') {
        e.preventDefault();
        if (s.flow)
          s.select(
            s.flow.nodes.map((n) => n.id),
            s.flow.edges.map((x) => x.id),
          );
      } else if (key === 'delete' || key === 'backspace') {
        e.preventDefault();
        removeSelection();
      } else if (!mod && e.shiftKey && key === 'l') {
        layout();
      } else if (!mod && !e.shiftKey && key === 'f') {
        fitNodes();
      } else if (key === 'escape') {
        s.select([], []);
      }
    };
    const layout = async () => {
      // dagre is loaded the first time someone tidies up, not with the editor.
      const { autoLayout } = await import('./layout');
      const { flow, apply } = useEditor.getState();
      if (!flow) return;
      const sizeOf = (id: string) => {
        const m = getInternalNode(id)?.measured;
        return m?.width && m.height ? { width: m.width, height: m.height } : undefined;
      };
      apply({ op: 'moveNodes', moves: autoLayout(flow, sizeOf) });
      requestAnimationFrame(() => fitNodes());
    };
    const onCopy = (e: ClipboardEvent) => {
      if (typingInField(e.target)) return;
      const clip = selectionClip();
      if (!clip || !e.clipboardData) return;
      e.preventDefault();
      e.clipboardData.setData('text/plain', JSON.stringify(clip, null, 2));
    };
    const onCut = (e: ClipboardEvent) => {
      if (typingInField(e.target)) return;
      onCopy(e);
      if (e.defaultPrevented) removeSelection();
    };
    const onPaste = (e: ClipboardEvent) => {
      if (typingInField(e.target)) return;
      const text = e.clipboardData?.getData('text/plain');
      if (!text) return;
      e.preventDefault();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const s = useEditor.getState();
      if (parsed && typeof parsed === 'object' && (parsed as Clip).kind === CLIPBOARD_KIND) {
        const clip = parsed as Clip;
        const result = s.apply({
          op: 'pasteNodes',
          nodes: clip.nodes,
          edges: clip.edges,
          offset: { x: 40, y: 40 },
        });
        if (result.ok) s.select(result.created, []);
        else s.notify({ kind: 'error', text: result.message });
        return;
      }
      importFlowText(text, 'clipboard');
    };
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCut);
    document.addEventListener('paste', onPaste);
    window.addEventListener('sb:layout', layout);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCut);
      document.removeEventListener('paste', onPaste);
      window.removeEventListener('sb:layout', layout);
    };
  }, [fitNodes, getInternalNode]);
}
