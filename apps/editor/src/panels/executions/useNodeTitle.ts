import { useCallback } from 'react';
import { useLang } from '../../i18n';
import { useEditor } from '../../store/editor';

/** A node's name as the canvas shows it: its label, else its type's title, else its id. */
export function useNodeTitle(): (nodeId: string, nodeType?: string) => string {
  const lang = useLang();
  const flow = useEditor((s) => s.flow);
  const entryByType = useEditor((s) => s.entryByType);
  return useCallback(
    (nodeId, nodeType) => {
      const node = flow?.nodes.find((n) => n.id === nodeId);
      const type = node?.type ?? nodeType;
      return node?.label ?? (type ? entryByType.get(type)?.labels[lang].title : undefined) ?? nodeId;
    },
    [flow, entryByType, lang],
  );
}
