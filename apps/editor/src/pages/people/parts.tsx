import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { isRole, type Role } from '../../auth/roles';
import { t, useLang } from '../../i18n';
import { absoluteTime, relativeTime } from '../../panels/history/format';
import type { Notice } from '../../store/editor';

const items = <T,>(answer: { items: T[] } | T[]): T[] => (Array.isArray(answer) ? answer : answer.items);

export type Run = (action: () => Promise<Notice | null>) => Promise<boolean>;

/** Loads a list, and again after each change; a refusal becomes the page's notice. */
export function useList<T>(path: string, run: Run): { list: T[] | null; reload(): Promise<void> } {
  const [list, setList] = useState<T[] | null>(null);
  const reload = useCallback(async () => {
    await run(async () => {
      setList(items(await api.get<{ items: T[] } | T[]>(path)));
      return null;
    });
  }, [path, run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { list, reload };
}

export function Section({ title, help, children }: { title: string; help: string; children: ReactNode }) {
  return (
    <section className="sb-people-section">
      <h2>{title}</h2>
      <p className="sb-muted">{help}</p>
      {children}
    </section>
  );
}

export const roleName = (role: string) => (isRole(role) ? t(`role.${role}`) : role);

export function RoleSelect({
  value,
  roles,
  onChange,
  label,
  testId,
  disabled,
}: {
  value: string;
  roles: readonly Role[];
  onChange(role: Role): void;
  label: string;
  testId: string;
  disabled?: boolean;
}) {
  return (
    <select
      value={value}
      onChange={(e) => onChange(e.target.value as Role)}
      aria-label={label}
      data-testid={testId}
      disabled={disabled}
    >
      {roles.map((r) => (
        <option key={r} value={r}>
          {roleName(r)}
        </option>
      ))}
    </select>
  );
}

export function When({ iso, never }: { iso: string | null; never?: string }) {
  const lang = useLang();
  if (!iso) return <span className="sb-muted">{never ?? '—'}</span>;
  return <span title={absoluteTime(iso, lang)}>{relativeTime(iso, Date.now(), lang)}</span>;
}

/** A secret or link shown once: a read-only field, a copy button, and what to do with it. */
export function ShownOnce({
  value,
  warning,
  testId,
  onDone,
}: {
  value: string;
  warning: string;
  testId: string;
  onDone(): void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // No clipboard permission (or not a secure context): select it, so Ctrl+C copies it.
      input.current?.select();
      setCopied('no');
    }
  };
  return (
    <div className="sb-once" data-testid={`${testId}-box`}>
      <p className="sb-once-warning">{warning}</p>
      <div className="sb-once-row">
        <input
          ref={input}
          readOnly
          value={value}
          onFocus={(e) => e.target.select()}
          aria-label={warning}
          data-testid={testId}
        />
        <button
          type="button"
          className="sb-primary"
          onClick={() => void copy()}
          data-testid={`${testId}-copy`}
        >
          {t('people.copy')}
        </button>
        <button type="button" onClick={onDone} data-testid={`${testId}-done`}>
          {t('people.done')}
        </button>
      </div>
      {copied === 'yes' ? <p className="sb-muted">{t('people.copied')}</p> : null}
      {copied === 'no' ? <p className="sb-muted">{t('people.copyManually')}</p> : null}
    </div>
  );
}
