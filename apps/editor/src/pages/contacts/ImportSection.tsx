import { useState } from 'react';
import { ApiError, type ApiProblem, request } from '../../api/client';
import { t } from '../../i18n';

interface Outcome {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  kept: Array<{ row: number; column: string; message: string }>;
}
type RowProblem = ApiProblem & { row?: number; column?: string };

/** Pick a CSV, check it (a dry run: per-row errors, or the counts), then import it. */
export function ImportSection({ onImported }: { onImported: () => void }) {
  const [text, setText] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [problems, setProblems] = useState<RowProblem[]>([]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (dryRun: boolean) => {
    if (text === null) return;
    setBusy(true);
    setError(null);
    setOutcome(null);
    setProblems([]);
    try {
      const done = await request<Outcome>(
        'POST',
        `/api/contacts/import${dryRun ? '?dryRun=true' : ''}`,
        text,
        {
          raw: 'text/csv',
        },
      );
      setOutcome(done);
      if (!dryRun) onImported();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'invalid_csv') setProblems(e.problems as RowProblem[]);
      else setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sb-section" data-testid="contacts-import">
      <h2>{t('contacts.import')}</h2>
      <p className="sb-help">{t('contacts.importHelp')}</p>
      <label className="sb-field">
        <span>{t('contacts.file')}</span>
        <input
          type="file"
          accept=".csv,text/csv"
          data-testid="import-file"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            setProblems([]);
            setOutcome(null);
            setError(null);
            setFileName(file?.name ?? '');
            setText(file ? await file.text() : null);
          }}
        />
      </label>
      <div className="sb-row">
        <button
          type="button"
          disabled={text === null || busy}
          onClick={() => send(true)}
          data-testid="import-check"
        >
          {t('contacts.check')}
        </button>
        <button
          type="button"
          className="sb-primary"
          disabled={text === null || busy || problems.length > 0}
          onClick={() => send(false)}
          data-testid="import-run"
        >
          {t('contacts.doImport')}
        </button>
        {fileName ? <span className="sb-muted">{fileName}</span> : null}
      </div>
      {error ? (
        <p className="sb-error" role="alert">
          {error}
        </p>
      ) : null}
      {problems.length > 0 ? (
        <div role="alert" data-testid="import-problems">
          <p className="sb-error">{t('contacts.problems', { n: problems.length })}</p>
          <ul>
            {problems.map((p) => (
              <li
                key={`${p.row}-${p.column}-${p.message}`}
                data-testid="import-problem"
                data-row={p.row}
                data-column={p.column}
              >
                <strong>{t('contacts.row', { row: p.row ?? '?' })}</strong>, {p.column}: {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {outcome ? (
        <p role="status" data-testid="import-outcome" data-dry-run={String(outcome.dryRun)}>
          {t(outcome.dryRun ? 'contacts.dryRunResult' : 'contacts.imported', {
            created: outcome.created,
            updated: outcome.updated,
          })}
          {outcome.kept.length > 0 ? ` ${t('contacts.kept', { n: outcome.kept.length })}` : ''}
        </p>
      ) : null}
    </section>
  );
}
