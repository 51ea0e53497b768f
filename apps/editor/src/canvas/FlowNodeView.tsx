import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { t, useLang } from '../i18n';
import type { SbNode } from './node-data';

/** How a port is shown: `out` needs no label; named ports (true/false, cases, timeout) do. */
function portLabel(port: string): string {
  const key = `port.${port}`;
  const label = t(key);
  return label === key ? port : label;
}

function FlowNodeViewImpl({ data, selected }: NodeProps<SbNode>) {
  const lang = useLang();
  const { node, entry, inputs, outputs, problems, hasError, run } = data;
  const title = node.label ?? entry?.labels[lang].title ?? node.type;
  const category = entry?.category ?? 'unknown';
  const single = outputs.length === 1 && outputs[0] === 'out';
  const classes = [
    'sb-node',
    `cat-${category}`,
    selected ? 'is-selected' : '',
    hasError ? 'has-error' : problems.length > 0 ? 'has-warning' : '',
    run ? `run-${run.status}` : '',
  ];
  return (
    <div className={classes.join(' ')} data-testid={`node-${node.id}`} data-node-type={node.type}>
      {inputs.map((port, i) => (
        <Handle
          key={port}
          type="target"
          position={Position.Left}
          id={port}
          style={inputs.length > 1 ? { top: `${((i + 1) * 100) / (inputs.length + 1)}%` } : undefined}
        />
      ))}
      <div className="sb-node-head">
        <span className="sb-node-cat" aria-hidden="true" />
        <span className="sb-node-title">{title}</span>
        {run ? <span className={`sb-node-run run-${run.status}`} title={t(`run.${run.status}`)} /> : null}
        {problems.length > 0 ? (
          <span className="sb-node-problem" title={problems.join('\n')} data-testid="node-problem">
            !
          </span>
        ) : null}
      </div>
      <div className="sb-node-id">{node.id}</div>
      {single ? (
        <Handle type="source" position={Position.Right} id="out" />
      ) : (
        <div className="sb-node-ports">
          {outputs.map((port) => (
            <div className={`sb-port ${run?.ports.includes(port) ? 'is-taken' : ''}`} key={port}>
              <span className="sb-port-label">{portLabel(port)}</span>
              <Handle type="source" position={Position.Right} id={port} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const FlowNodeView = memo(FlowNodeViewImpl);
