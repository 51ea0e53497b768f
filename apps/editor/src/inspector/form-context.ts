import { createContext, useContext } from 'react';
import type { Path } from './model/paths';
import type { VariableOption } from './model/variables';

/** What every field of one node's form shares: how to write, where problems are, what `{{ }}` can read. */
export interface FormContextValue {
  nodeId: string;
  nodeType: string;
  /** Writes one value into params (undefined removes it) and reports the whole new params. */
  set(path: Path, value: unknown): void;
  /** Problems put next to the field at this dot path. */
  problemsAt(path: string): readonly string[];
  /** Problems at this dot path or inside it (shows hidden fields, opens sections, fills the pickers). */
  problemsUnder(path: string): readonly string[];
  variables: readonly VariableOption[];
  /** Button and list-row ids sent upstream, suggested where a reply id is asked for. */
  choiceIds: readonly string[];
  /** The flow's time zone: the default of every time-zone field. */
  flowTimezone: string;
  /** The whole params object (for ids that must be unique across lists). */
  params: Record<string, unknown>;
}

export const FormContext = createContext<FormContextValue | null>(null);

export function useForm(): FormContextValue {
  const value = useContext(FormContext);
  if (!value) throw new Error('a params field is outside its form');
  return value;
}
