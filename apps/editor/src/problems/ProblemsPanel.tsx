import { useState } from 'react';
import { useFitNodes } from '../canvas/useFitNodes';
import { t } from '../i18n';
import { useEditor } from '../store/editor';

/** Every problem of the flow by path; clicking one selects the node and brings it into view. */
export function ProblemsPanel() {
  const flow = useEditor((s) => s.flow);
  const problems = useEditor((s) => s.problems);
  const serverProblems = useEditor((s) => s.serverProblems);
  const select = useEditor((s) => s.select);
  const fitNodes = useFitNodes();
  const [open, setOpen] = useState(true);
  const seen = new Set<string>();
  const all = [...problems, ...serverProblems].filter((p) => {
    const key = `${p.path}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const errors = all.filter((p) => p.severity !== 'warning').length;
  const warnings = all.length - errors;

  const focus = (path: string) => {
    const m = /^\$\.nodes\[(\d+)\]/.exec(path);
    const node = m && flow ? flow.nodes[Number(m[1])] : undefined;
    if (!node) return;
    select([node.id], []);
    fitNodes([node.id], { maxZoom: 1.2 });
  };

  return (
    <section className={`sb-problems ${open ? 'is-open' : ''}`} data-testid="problems">
      <button type="button" className="sb-problems-head" onClick={() => setOpen(!open)}>
        {all.length === 0 ? t('problems.none') : t('problems.count', { errors, warnings })}
      </button>
      {open && all.length > 0 ? (
        <ul>
          {all.map((p) => (
            <li
              key={`${p.path}|${p.message}`}
              className={p.severity === 'warning' ? 'is-warning' : 'is-error'}
            >
              <button type="button" onClick={() => focus(p.path)}>
                <code>{p.path}</code> {p.message}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
