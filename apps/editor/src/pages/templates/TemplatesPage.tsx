import { useCallback, useEffect, useState } from 'react';
import { ApiError, type ApiProblem } from '../../api/client';
import { can } from '../../auth/roles';
import { useAuth } from '../../auth/session';
import { t } from '../../i18n';
import { previewText } from '../../templates/slots';
import { draftParams, draftRequest, type TemplateDraft } from './model';
import { TemplateBadges } from './TemplateBadges';
import { createTemplate, listTemplates, syncTemplates, type TemplateQuery } from './templates-api';
import type { TemplateRecord, TemplateSync } from './types';
import './templates.css';

const STATUSES = ['APPROVED', 'PENDING', 'REJECTED', 'PAUSED', 'DISABLED'];
const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

/**
 * The business account's message templates: filters, badges, a preview of each, the last sync and a
 * sync button, and (for builders) a form that submits a new template for review, showing what WhatsApp's
 * rules would refuse, field by field.
 */
export function TemplatesPage() {
  const role = useAuth((s) => s.role);
  const [query, setQuery] = useState<TemplateQuery>({});
  const [items, setItems] = useState<TemplateRecord[]>([]);
  const [syncs, setSyncs] = useState<TemplateSync[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [syncing, setSyncing] = useState(false);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    listTemplates(query)
      .then((r) => {
        setItems(r.items);
        setSyncs(r.syncs);
        setError(null);
      })
      .catch((e: Error) => setError(e.message));
  }, [query]);
  useEffect(load, [load]);
  // Reviews end by webhook on the server: look again now and then while something is pending.
  useEffect(() => {
    if (!items.some((x) => x.status === 'PENDING')) return;
    const timer = setInterval(load, 2_000);
    return () => clearInterval(timer);
  }, [items, load]);

  const languages = [...new Set(items.map((x) => x.language))].sort();
  const set = (key: keyof TemplateQuery, value: string) => setQuery({ ...query, [key]: value || undefined });

  return (
    <div className="sb-page sb-templates" data-testid="templates-page">
      <h1>{t('templates.title')}</h1>
      <p className="sb-muted">{t('templates.help')}</p>
      <div className="sb-templates-bar">
        <input
          placeholder={t('templates.search')}
          aria-label={t('templates.search')}
          value={query.q ?? ''}
          onChange={(e) => set('q', e.target.value)}
          data-testid="templates-search"
        />
        <select
          value={query.status ?? ''}
          onChange={(e) => set('status', e.target.value)}
          data-testid="templates-status"
        >
          <option value="">{t('templates.allStatuses')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select
          value={query.category ?? ''}
          onChange={(e) => set('category', e.target.value)}
          data-testid="templates-category"
        >
          <option value="">{t('templates.allCategories')}</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`templates.category.${c}`)}
            </option>
          ))}
        </select>
        <select
          value={query.language ?? ''}
          onChange={(e) => set('language', e.target.value)}
          data-testid="templates-language"
        >
          <option value="">{t('templates.allLanguages')}</option>
          {languages.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
        <span className="sb-spacer" />
        {can(role, 'editFlows') ? (
          <>
            <button
              type="button"
              disabled={syncing}
              onClick={() => {
                setSyncing(true);
                syncTemplates()
                  .then(load)
                  .catch((e: Error) => setError(e.message))
                  .finally(() => setSyncing(false));
              }}
              data-testid="templates-sync"
            >
              {t(syncing ? 'templates.syncing' : 'templates.sync')}
            </button>
            <button
              type="button"
              className="sb-primary"
              onClick={() => setCreating(true)}
              data-testid="templates-new"
            >
              {t('templates.new')}
            </button>
          </>
        ) : null}
      </div>
      {syncs.map((s) => (
        <p
          key={s.channelId}
          className={s.syncedAt ? 'sb-muted' : 'sb-error'}
          data-testid={`templates-sync-${s.channelId}`}
        >
          {s.syncedAt
            ? t('templates.lastSync', { channel: s.channelId, at: new Date(s.syncedAt).toLocaleString() })
            : t('templates.neverSynced', { channel: s.channelId, error: s.lastError ?? '' })}
        </p>
      ))}
      {notice ? (
        <p className="sb-notice" data-testid="templates-notice">
          {notice}
        </p>
      ) : null}
      {error ? <p className="sb-error">{error}</p> : null}
      {creating ? (
        <CreateForm
          onCancel={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            setNotice(t('templates.created', { name: created.name }));
            load();
          }}
        />
      ) : null}
      {items.length === 0 ? <p className="sb-muted">{t('templates.empty')}</p> : null}
      <ul className="sb-templates-list">
        {items.map((x) => (
          <li key={x.id} className="sb-template-card" data-testid={`template-${x.name}-${x.language}`}>
            <div>
              <strong>{x.name}</strong> <TemplateBadges template={x} status />
              {x.quality ? (
                <span className="sb-muted"> {t('templates.quality', { quality: x.quality })}</span>
              ) : null}
              <span className="sb-muted"> · {x.channelId}</span>
            </div>
            {x.rejectedReason ? (
              <p className="sb-error">{t('templates.rejected', { reason: x.rejectedReason })}</p>
            ) : null}
            <pre className="sb-template-preview" title={t('templates.preview')}>
              {previewText(x)}
            </pre>
          </li>
        ))}
      </ul>
    </div>
  );
}

const EMPTY: TemplateDraft = {
  name: '',
  language: 'es',
  category: 'UTILITY',
  header: '',
  body: '',
  footer: '',
  quickReplies: '',
  examples: {},
};

function CreateForm({ onCancel, onCreated }: { onCancel(): void; onCreated(t: TemplateRecord): void }) {
  const [draft, setDraft] = useState<TemplateDraft>(EMPTY);
  const [problems, setProblems] = useState<ApiProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const field = (key: keyof Omit<TemplateDraft, 'examples'>) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value }),
    'data-testid': `template-field-${key}`,
  });
  const submit = async () => {
    setBusy(true);
    try {
      onCreated(await createTemplate({ channelId: 'default', ...draftRequest(draft) }));
    } catch (e) {
      setProblems(
        e instanceof ApiError && e.problems.length
          ? e.problems
          : [{ path: '$', message: (e as Error).message }],
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="sb-template-create"
      data-testid="template-create"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2>{t('templates.new')}</h2>
      <label>
        {t('templates.field.name')}
        <input {...field('name')} />
      </label>
      <label>
        {t('templates.field.language')}
        <input {...field('language')} size={8} />
      </label>
      <label>
        {t('templates.field.category')}
        <select {...field('category')}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`templates.category.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('templates.field.header')}
        <input {...field('header')} />
      </label>
      <label>
        {t('templates.field.body')}
        <textarea rows={3} {...field('body')} />
      </label>
      {draftParams(draft.body).map((p) => (
        <label key={p}>
          {t('templates.field.example', { param: `{{${p}}}` })}
          <input
            value={draft.examples[p] ?? ''}
            onChange={(e) => setDraft({ ...draft, examples: { ...draft.examples, [p]: e.target.value } })}
            data-testid={`template-example-${p}`}
          />
        </label>
      ))}
      <label>
        {t('templates.field.footer')}
        <input {...field('footer')} />
      </label>
      <label>
        {t('templates.field.quickReplies')}
        <textarea rows={2} {...field('quickReplies')} />
      </label>
      {problems.length ? (
        <div className="sb-error" data-testid="template-problems">
          <p>{t('templates.problems')}</p>
          <ul>
            {problems.map((p) => (
              <li key={`${p.path}:${p.message}`}>
                <code>{p.path.replace(/^\$\.body\.?/, '')}</code> {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="sb-templates-bar">
        <button type="submit" className="sb-primary" disabled={busy} data-testid="template-submit">
          {t('templates.create')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('templates.cancel')}
        </button>
      </div>
    </form>
  );
}
