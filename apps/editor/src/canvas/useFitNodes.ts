import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback } from 'react';
import { useEditor } from '../store/editor';
import { NODE_WIDTH } from './node-data';
import { fitBoxes } from './viewport';

/** Lowest zoom of the canvas: low enough that "zoom to fit" shows even a straight chain of 300 nodes whole. */
export const CANVAS_MIN_ZOOM = 0.01;
const ESTIMATED_HEIGHT = 80;

/**
 * Brings nodes into view (all of them when no ids are given), animated. Used instead of React Flow's
 * fitView, which ignores the nodes it has not drawn yet (see fitBoxes).
 */
export function useFitNodes() {
  const { getInternalNode, setViewport } = useReactFlow();
  const store = useStoreApi();
  return useCallback(
    (ids?: readonly string[], options: { maxZoom?: number } = {}) => {
      const { flow } = useEditor.getState();
      if (!flow) return;
      const wanted = ids ? new Set(ids) : undefined;
      const boxes = flow.nodes
        .filter((n) => !wanted || wanted.has(n.id))
        .map((n) => {
          const internal = getInternalNode(n.id);
          const width = internal?.measured.width || internal?.initialWidth || NODE_WIDTH;
          const height = internal?.measured.height || internal?.initialHeight || ESTIMATED_HEIGHT;
          const at = internal?.internals.positionAbsolute ?? n.position;
          return { x: at.x, y: at.y, width, height };
        });
      const { width, height } = store.getState();
      const view = fitBoxes(boxes, width, height, { minZoom: CANVAS_MIN_ZOOM, ...options });
      if (view) void setViewport(view, { duration: 300 });
    },
    [getInternalNode, setViewport, store],
  );
}
