import { connectionProblem, type Flow, type FlowNode } from '@switchboard/flow-schema';
import {
  Background,
  type Connection,
  ControlButton,
  Controls,
  type Edge,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  type OnConnectEnd,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react';
import { type DragEvent, useCallback, useMemo, useRef, useState } from 'react';
import { useCan } from '../auth/session';
import { t } from '../i18n';
import { useEditor } from '../store/editor';
import { PALETTE_MIME } from './dnd';
import { FlowNodeView } from './FlowNodeView';
import { estimatedGeometry, portsOf, problemsByNode, type SbNode } from './node-data';
import { CANVAS_MIN_ZOOM, useFitNodes } from './useFitNodes';
import { firstViewport } from './viewport';

const nodeTypes = { sb: FlowNodeView };
type Size = { width: number; height: number };

interface Cached {
  src: FlowNode;
  key: string;
  rf: SbNode;
}

/** A React Flow connection as a flow edge (handles are named after ports). */
/** The four-corners "fit" glyph, as React Flow's own button draws it. */
function FitIcon() {
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 30" aria-hidden="true">
      <path d="M3.692 4.63c0-.53.4-.938.939-.938h5.215V0H4.708C2.13 0 0 2.054 0 4.63v5.216h3.692V4.631zM27.354 0h-5.2v3.692h5.17c.53 0 .984.4.984.939v5.215H32V4.631A4.624 4.624 0 0027.354 0zm.954 24.83c0 .532-.4.94-.939.94h-5.215v3.768h5.215c2.577 0 4.631-2.13 4.631-4.707v-5.139h-3.692v5.139zm-23.677.94c-.531 0-.939-.4-.939-.94v-5.138H0v5.139c0 2.577 2.13 4.707 4.708 4.707h5.138V25.77H4.631z" />
    </svg>
  );
}

function toEdge(c: Connection | Edge) {
  return {
    source: c.source,
    sourcePort: c.sourceHandle ?? 'out',
    target: c.target,
    targetPort: c.targetHandle ?? 'in',
  };
}

/**
 * The canvas is a view of the store's flow: React Flow's change objects are turned into flow-schema
 * operations (move, connect, select), never applied to a second copy of the graph. Node objects are
 * rebuilt only for nodes that changed, so a 300-node flow stays smooth.
 */
export function Canvas({ onImportFile }: { onImportFile: (file: File) => void }) {
  const flow = useEditor((s) => s.flow) as Flow;
  const catalog = useEditor((s) => s.catalog);
  const entryByType = useEditor((s) => s.entryByType);
  const selectedNodes = useEditor((s) => s.selectedNodes);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const problems = useEditor((s) => s.problems);
  const serverProblems = useEditor((s) => s.serverProblems);
  const runState = useEditor((s) => s.runState);
  const apply = useEditor((s) => s.apply);
  const select = useEditor((s) => s.select);
  const notify = useEditor((s) => s.notify);
  const editable = useCan('editFlows');
  const { screenToFlowPosition, setViewport } = useReactFlow();
  const fitNodes = useFitNodes();
  const wrapper = useRef<HTMLDivElement>(null);

  const cache = useRef(new Map<string, Cached>());
  const measured = useRef(new Map<string, Size>());
  const [measuredTick, setMeasuredTick] = useState(0);
  const [drag, setDrag] = useState<ReadonlyMap<string, { x: number; y: number }>>(new Map());

  const byNode = useMemo(
    () => problemsByNode(flow.nodes, [...problems, ...serverProblems]),
    [flow.nodes, problems, serverProblems],
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: measuredTick invalidates the measured sizes read from the ref
  const nodes = useMemo(() => {
    const selected = new Set(selectedNodes);
    const next = new Map<string, Cached>();
    const list = flow.nodes.map((node) => {
      const entry = entryByType.get(node.type);
      const p = byNode.get(node.id);
      const run = runState.get(node.id);
      const size = measured.current.get(node.id);
      const position = drag.get(node.id) ?? node.position;
      const key = [
        selected.has(node.id),
        p?.messages.join('\n') ?? '',
        run ? `${run.status}:${run.ports.join(',')}` : '',
        position.x,
        position.y,
        size ? `${size.width}x${size.height}` : '',
        entry ? 1 : 0,
      ].join('|');
      const old = cache.current.get(node.id);
      if (old && old.src === node && old.key === key) {
        next.set(node.id, old);
        return old.rf;
      }
      const { inputs, outputs } = portsOf(node, catalog, entry);
      const rf: SbNode = {
        id: node.id,
        type: 'sb',
        position,
        selected: selected.has(node.id),
        data: {
          node,
          entry,
          inputs,
          outputs,
          problems: p?.messages ?? [],
          hasError: p?.hasError ?? false,
          run,
        },
        ...(size ? { measured: size } : estimatedGeometry(inputs, outputs)),
      };
      next.set(node.id, { src: node, key, rf });
      return rf;
    });
    cache.current = next;
    return list;
  }, [flow.nodes, selectedNodes, byNode, runState, drag, entryByType, catalog, measuredTick]);

  const edges = useMemo<Edge[]>(() => {
    const selected = new Set(selectedEdges);
    return flow.edges.map((e) => {
      const taken = runState.get(e.source)?.ports.includes(e.sourcePort) && runState.has(e.target);
      return {
        id: e.id,
        source: e.source,
        target: e.target,
        sourceHandle: e.sourcePort,
        targetHandle: e.targetPort,
        selected: selected.has(e.id),
        animated: !!taken,
        className: taken ? 'is-taken' : '',
      };
    });
  }, [flow.edges, selectedEdges, runState]);

  const onNodesChange = useCallback(
    (changes: NodeChange<SbNode>[]) => {
      let sized = false;
      const moving = new Map<string, { x: number; y: number }>();
      const moved: { id: string; position: { x: number; y: number } }[] = [];
      let selection: Set<string> | undefined;
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) {
          measured.current.set(c.id, c.dimensions);
          sized = true;
        } else if (c.type === 'position' && c.position) {
          if (c.dragging) moving.set(c.id, c.position);
          else moved.push({ id: c.id, position: c.position });
        } else if (c.type === 'select') {
          selection ??= new Set(useEditor.getState().selectedNodes);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      }
      if (sized) setMeasuredTick((n) => n + 1);
      if (moving.size > 0) setDrag((d) => new Map([...d, ...moving]));
      if (moved.length > 0) {
        apply({ op: 'moveNodes', moves: moved });
        setDrag(new Map());
      }
      if (selection) select([...selection], useEditor.getState().selectedEdges);
    },
    [apply, select],
  );

  const onNodeDragStop = useCallback(() => {
    // React Flow reports the final positions in a position change without `dragging`; when a drag ends
    // without one (a click), drop the overrides so the flow's positions show.
    setDrag((d) => {
      if (d.size === 0) return d;
      apply({ op: 'moveNodes', moves: [...d].map(([id, position]) => ({ id, position })) });
      return new Map();
    });
  }, [apply]);

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let selection: Set<string> | undefined;
      for (const c of changes) {
        if (c.type === 'select') {
          selection ??= new Set(useEditor.getState().selectedEdges);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      }
      if (selection) select(useEditor.getState().selectedNodes, [...selection]);
    },
    [select],
  );

  const isValidConnection = useCallback((c: Connection | Edge) => {
    const current = useEditor.getState();
    if (!current.flow || !current.catalog) return true;
    return connectionProblem(current.flow, toEdge(c), current.catalog) === null;
  }, []);

  const onConnect = useCallback(
    (c: Connection) => {
      const result = apply({ op: 'connect', edge: toEdge(c) });
      if (!result.ok) notify({ kind: 'error', text: result.message });
    },
    [apply, notify],
  );

  // A drop on a handle that the live check refused: say why instead of silently doing nothing.
  const onConnectEnd = useCallback<OnConnectEnd>(
    (_event, state) => {
      if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
      const current = useEditor.getState();
      if (!current.flow || !current.catalog) return;
      const from = state.fromHandle;
      const to = state.toHandle;
      const [source, target] = from.type === 'source' ? [from, to] : [to, from];
      const problem = connectionProblem(
        current.flow,
        {
          source: source.nodeId,
          sourcePort: source.id ?? 'out',
          target: target.nodeId,
          targetPort: target.id ?? 'in',
        },
        current.catalog,
      );
      if (problem) notify({ kind: 'error', text: problem.message });
    },
    [notify],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = e.dataTransfer.types.includes('Files') ? 'copy' : 'move';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      if (!editable) return;
      const file = e.dataTransfer.files?.[0];
      if (file) return onImportFile(file);
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (!type) return;
      const position = screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const result = apply({
        op: 'addNode',
        node: { type, position: { x: position.x - 100, y: position.y - 30 } },
      });
      if (!result.ok) notify({ kind: 'error', text: result.message });
      else select(result.created, []);
    },
    [apply, notify, select, screenToFlowPosition, onImportFile, editable],
  );

  // The first view is computed from positions, not by fitting drawn nodes: React Flow draws only the
  // nodes in view, so fitting would have to draw (and measure) all of them first.
  const onInit = useCallback(() => {
    const { flow: current } = useEditor.getState();
    const el = wrapper.current;
    if (current && el) void setViewport(firstViewport(current, el.clientWidth, el.clientHeight));
  }, [setViewport]);

  return (
    <div className="sb-canvas" data-testid="canvas" ref={wrapper}>
      <ReactFlow<SbNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        // Read-only (viewers): nodes can be selected, to read their settings, but not moved or wired.
        nodesDraggable={editable}
        nodesConnectable={editable}
        edgesReconnectable={editable}
        onDragOver={onDragOver}
        onDrop={onDrop}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        onInit={onInit}
        minZoom={CANVAS_MIN_ZOOM}
        onlyRenderVisibleElements
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} />
        <MiniMap pannable zoomable ariaLabel={t('canvas.minimap')} />
        {/* No lock toggle for read-only roles: it would switch dragging and connecting back on. */}
        <Controls showFitView={false} showInteractive={editable}>
          {/* Our own fit: React Flow's skips the nodes not drawn yet (see useFitNodes). */}
          <ControlButton
            className="react-flow__controls-fitview"
            onClick={() => fitNodes()}
            title={t('canvas.fitView')}
            aria-label={t('canvas.fitView')}
          >
            <FitIcon />
          </ControlButton>
        </Controls>
      </ReactFlow>
    </div>
  );
}
