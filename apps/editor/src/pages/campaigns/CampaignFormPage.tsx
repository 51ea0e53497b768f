import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api/client';
import { t } from '../../i18n';
import { navigate } from '../../router';
import type { TemplateValues } from '../../templates/slots';
import { FilterBuilder } from '../contacts/FilterBuilder';
import { TemplateChooser, TemplateParamFields } from '../templates/TemplateChooser';
import { listTemplates } from '../templates/templates-api';
import type { TemplateRecord } from '../templates/types';
import {
  campaignAction,
  createCampaign,
  getCampaign,
  listFlows,
  listSegments,
  previewAudience,
  updateCampaign,
} from './campaigns-api';
import { skipReasonLabel } from './labels';
import {
  type CampaignForm,
  campaignForm,
  campaignPatch,
  campaignRequest,
  EMPTY_CAMPAIGN,
  type ProblemPlace,
  problemsByPlace,
} from './model';
import {
  campaignCanSend,
  campaignParamKeys,
  campaignTemplate,
  campaignValues,
  PLACEHOLDERS,
  paramProblem,
} from './params';
import type { AudiencePreview, Campaign } from './types';
import './campaigns.css';
import '../../auth/auth.css';
import '../integrations/integrations.css';

type Problems = Partial<Record<ProblemPlace, string[]>>;

/** New campaign (`id` null) or editing a draft or scheduled one: save as draft, or start it. */
export function CampaignFormPage({ id }: { id: string | null }) {
  const [stored, setStored] = useState<Campaign | null>(null);
  const [form, setForm] = useState<CampaignForm>(EMPTY_CAMPAIGN);
  const [approved, setApproved] = useState<TemplateRecord[] | null>(null);
  const [segments, setSegments] = useState<Array<{ id: string; name: string }>>([]);
  const [flows, setFlows] = useState<Array<{ id: string; name: string }>>([]);
  const [picked, setPicked] = useState<TemplateRecord | null>(null);
  const [values, setValues] = useState<TemplateValues>({});
  const [problems, setProblems] = useState<Problems>({});
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<AudiencePreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);

  useEffect(() => {
    const fail = (e: Error) => setError(e.message);
    listTemplates({ status: 'APPROVED' }).then((r) => setApproved(r.items), fail);
    listSegments().then((r) => setSegments(r.items), fail);
    listFlows().then((r) => setFlows(r.items), fail);
    if (id)
      getCampaign(id).then((c) => {
        setStored(c);
        setForm(campaignForm(c));
      }, fail);
  }, [id]);

  // The channels are those with approved templates (every role may read templates; channels are admins').
  const channels = useMemo(() => [...new Set((approved ?? []).map((x) => x.channelId))].sort(), [approved]);
  useEffect(() => {
    if (!id && !form.channelId && channels.length === 1) setForm((f) => ({ ...f, channelId: channels[0]! }));
  }, [id, form.channelId, channels]);

  // Editing: the stored template's record, so its fields show with the stored values.
  useEffect(() => {
    if (!stored || !approved || picked) return;
    const record = approved.find(
      (x) =>
        x.channelId === stored.channelId &&
        x.name === stored.template.name &&
        x.language === stored.template.language,
    );
    if (record) {
      setPicked(record);
      setValues(campaignValues(record.parameters, stored.template));
    }
  }, [stored, approved, picked]);

  const set = <K extends keyof CampaignForm>(key: K, value: CampaignForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));

  const request = useMemo(
    () => campaignRequest({ ...form, template: picked ? campaignTemplate(picked, values) : form.template }),
    [form, picked, values],
  );
  const audienceReady = form.audienceKind === 'filter' || form.segmentId !== '';

  const paramKeys = picked ? campaignParamKeys(picked.parameters) : [];
  // The template goes with the preview (its parameters decide `missing_parameter` skips) once its values
  // are well formed; until then the preview counts consent and regions only.
  const templateReady = picked !== null && paramKeys.every((k) => !paramProblem(values[k] ?? ''));

  // The live preview: who would receive it and who would be skipped, read again as the audience changes.
  const previewKey = JSON.stringify([
    request.audience,
    request.channelId,
    templateReady ? request.template : null,
  ]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: previewKey stands for the request's parts
  useEffect(() => {
    if (!audienceReady || !form.channelId) {
      setPreview(null);
      return;
    }
    let alive = true;
    const timer = setTimeout(() => {
      previewAudience({
        audience: request.audience,
        channelId: request.channelId,
        ...(templateReady ? { template: request.template } : {}),
      }).then(
        (r) => {
          if (!alive) return;
          setPreview(r);
          setPreviewError(null);
        },
        (e: Error) => {
          if (!alive) return;
          setPreview(null);
          setPreviewError(e.message);
        },
      );
    }, 400);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [previewKey, audienceReady]);

  const localProblems = (key: string): string | null => {
    const problem = paramProblem(values[key] ?? '');
    if (!problem || (problem.key === 'campaigns.param.empty' && !checked)) return null;
    return t(problem.key, 'vars' in problem ? problem.vars : undefined);
  };

  const submit = async (start: boolean) => {
    setChecked(true);
    setError(null);
    setProblems({});
    if (!picked && !form.template) {
      setProblems({ template: [t('campaigns.pickTemplate')] });
      return;
    }
    if (paramKeys.some((k) => paramProblem(values[k] ?? ''))) return;
    setBusy(true);
    try {
      let saved = stored
        ? await updateCampaign(stored.id, campaignPatch(stored.status, request))
        : await createCampaign(request);
      // Kept, so that if starting fails, trying again changes this draft instead of making another.
      setStored(saved);
      if (start) saved = await campaignAction(saved.id, 'start');
      navigate(`/campaigns/${encodeURIComponent(saved.id)}`);
    } catch (e) {
      if (e instanceof ApiError && e.problems.length) {
        setProblems(problemsByPlace(e.problems, picked?.parameters ?? null));
        setError(e.message);
      } else setError(e instanceof Error ? e.message : String(e));
      // The first problem (or the error above the form) may be out of sight: bring it into view.
      requestAnimationFrame(() =>
        (
          document.querySelector('.sb-field-problem') ??
          document.querySelector('[data-testid="campaign-form-error"]')
        )?.scrollIntoView({ block: 'center' }),
      );
    } finally {
      setBusy(false);
    }
  };

  const fieldProblems = (place: ProblemPlace): ReactNode =>
    problems[place]?.map((m) => (
      <p key={m} className="sb-field-problem" role="alert" data-testid={`problem-${place}`}>
        {m}
      </p>
    )) ?? null;

  const canStart = !stored || stored.status === 'draft';
  // A scheduled campaign's recipients were taken when it was started: its number and audience stay.
  const audienceFixed = stored?.status === 'scheduled';
  return (
    <div className="sb-page sb-people sb-integrations" data-testid="campaign-form-page">
      <header className="sb-page-head">
        <button type="button" className="sb-link" onClick={() => navigate('/campaigns')}>
          {t('campaigns.back')}
        </button>
        <h1>{stored ? t('campaigns.editTitle', { name: stored.name }) : t('campaigns.newTitle')}</h1>
      </header>
      {error ? (
        <p className="sb-error" role="alert" data-testid="campaign-form-error">
          {error}
        </p>
      ) : null}
      {fieldProblems('general')}
      <form
        className="sb-camp-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(false);
        }}
        data-testid="campaign-form"
      >
        <label className="sb-field">
          <span>{t('campaigns.field.name')}</span>
          <input
            value={form.name}
            onChange={(e) => set('name', e.target.value)}
            data-testid="campaign-name"
          />
          {fieldProblems('name')}
        </label>
        <label className="sb-field">
          <span>{t('campaigns.field.channel')}</span>
          <select
            value={form.channelId}
            disabled={audienceFixed}
            onChange={(e) => {
              set('channelId', e.target.value);
              if (picked && picked.channelId !== e.target.value) setPicked(null);
            }}
            data-testid="campaign-channel"
          >
            <option value="">{t('campaigns.choose')}</option>
            {channels.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          {approved && channels.length === 0 ? <p className="sb-muted">{t('campaigns.noChannels')}</p> : null}
          {fieldProblems('channelId')}
        </label>

        <fieldset data-testid="campaign-template">
          <legend>{t('campaigns.field.template')}</legend>
          {!form.channelId ? (
            <p className="sb-muted">{t('campaigns.channelFirst')}</p>
          ) : picked ? (
            <>
              <TemplateParamFields
                template={picked}
                values={values}
                onChange={setValues}
                onChangeTemplate={() => {
                  setPicked(null);
                  setValues({});
                  set('template', null);
                }}
                textOnly
                note={(key) => {
                  const local = localProblems(key);
                  return (
                    <>
                      {local ? (
                        <span className="sb-field-problem" data-testid={`param-problem-${key}`}>
                          {local}
                        </span>
                      ) : null}
                      {fieldProblems(key as ProblemPlace)}
                    </>
                  );
                }}
              />
              {paramKeys.length ? (
                <p className="sb-help sb-camp-hint" data-testid="placeholder-hint">
                  {t('campaigns.placeholders')}{' '}
                  {PLACEHOLDERS.map((p) => (
                    <code key={p}>{p}</code>
                  ))}
                </p>
              ) : (
                <p className="sb-muted">{t('campaigns.noParams')}</p>
              )}
            </>
          ) : (
            <>
              {form.template ? (
                <p className="sb-muted">
                  {t('campaigns.storedTemplate', {
                    name: form.template.name,
                    language: form.template.language,
                  })}
                </p>
              ) : null}
              <TemplateChooser
                channelId={form.channelId}
                accept={campaignCanSend}
                onPick={(x) => {
                  setPicked(x);
                  setValues({});
                  setChecked(false);
                }}
              />
            </>
          )}
          {fieldProblems('template')}
        </fieldset>

        <fieldset data-testid="campaign-audience" disabled={audienceFixed}>
          <legend>{t('campaigns.field.audience')}</legend>
          {audienceFixed ? <p className="sb-muted">{t('campaigns.audienceFixed')}</p> : null}
          <div className="sb-row">
            <label>
              <input
                type="radio"
                name="audience"
                checked={form.audienceKind === 'segment'}
                onChange={() => set('audienceKind', 'segment')}
                data-testid="audience-segment"
              />{' '}
              {t('campaigns.audience.segment')}
            </label>
            <label>
              <input
                type="radio"
                name="audience"
                checked={form.audienceKind === 'filter'}
                onChange={() => set('audienceKind', 'filter')}
                data-testid="audience-filter"
              />{' '}
              {t('campaigns.audience.filter')}
            </label>
          </div>
          {form.audienceKind === 'segment' ? (
            <label className="sb-field">
              <span>{t('campaigns.audience.segmentPick')}</span>
              <select
                value={form.segmentId}
                onChange={(e) => set('segmentId', e.target.value)}
                data-testid="campaign-segment"
              >
                <option value="">{t('campaigns.choose')}</option>
                {segments.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
              {segments.length === 0 ? (
                <p className="sb-muted">{t('campaigns.audience.noSegments')}</p>
              ) : null}
            </label>
          ) : (
            <>
              <p className="sb-help">{t('campaigns.audience.filterHelp')}</p>
              <FilterBuilder form={form.filter} onChange={(next) => set('filter', next)} idPrefix="camp" />
            </>
          )}
          {fieldProblems('audience')}
          <div className="sb-camp-preview" data-testid="campaign-preview" aria-live="polite">
            {previewError ? <span className="sb-error">{previewError}</span> : null}
            {preview ? (
              <span
                data-testid="campaign-preview-text"
                data-will-send={preview.willSend}
                data-total={preview.total}
              >
                {t('campaigns.preview', {
                  willSend: preview.willSend,
                  skipped: preview.total - preview.willSend,
                })}
                {preview.skipped.length
                  ? `: ${preview.skipped.map((s) => `${skipReasonLabel(s.reason)} (${s.count})`).join(', ')}`
                  : ''}
              </span>
            ) : !previewError ? (
              <span className="sb-muted">{t('campaigns.previewWaiting')}</span>
            ) : null}
          </div>
        </fieldset>

        <fieldset data-testid="campaign-schedule">
          <legend>{t('campaigns.field.schedule')}</legend>
          <div className="sb-row">
            <label>
              <input
                type="radio"
                name="start"
                checked={form.startMode === 'now'}
                onChange={() => set('startMode', 'now')}
                data-testid="schedule-now"
              />{' '}
              {t('campaigns.schedule.now')}
            </label>
            <label>
              <input
                type="radio"
                name="start"
                checked={form.startMode === 'at'}
                onChange={() => set('startMode', 'at')}
                data-testid="schedule-at"
              />{' '}
              {t('campaigns.schedule.at')}
            </label>
            {form.startMode === 'at' ? (
              <input
                type="datetime-local"
                aria-label={t('campaigns.schedule.at')}
                value={form.startAt}
                onChange={(e) => set('startAt', e.target.value)}
                data-testid="schedule-start-at"
              />
            ) : null}
          </div>
          <div className="sb-row">
            <label>
              <input
                type="checkbox"
                checked={form.localHoursOn}
                onChange={(e) => set('localHoursOn', e.target.checked)}
                data-testid="schedule-local-hours"
              />{' '}
              {t('campaigns.schedule.localHours')}
            </label>
            {form.localHoursOn ? (
              <>
                <input
                  type="time"
                  aria-label={t('campaigns.schedule.from')}
                  value={form.from}
                  onChange={(e) => set('from', e.target.value)}
                  data-testid="schedule-from"
                />
                –
                <input
                  type="time"
                  aria-label={t('campaigns.schedule.to')}
                  value={form.to}
                  onChange={(e) => set('to', e.target.value)}
                  data-testid="schedule-to"
                />
              </>
            ) : null}
          </div>
          <p className="sb-help">{t('campaigns.schedule.help')}</p>
          {fieldProblems('schedule')}
        </fieldset>

        <label className="sb-field">
          <span>{t('campaigns.field.replyFlow')}</span>
          <select
            value={form.replyFlowId}
            onChange={(e) => set('replyFlowId', e.target.value)}
            data-testid="campaign-reply-flow"
          >
            <option value="">{t('campaigns.replyFlow.none')}</option>
            {flows.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
          <small className="sb-help">{t('campaigns.replyFlow.help')}</small>
          {fieldProblems('replyFlowId')}
        </label>

        <div className="sb-row">
          <button type="submit" disabled={busy} data-testid="campaign-save">
            {stored && stored.status !== 'draft' ? t('campaigns.save') : t('campaigns.saveDraft')}
          </button>
          {canStart ? (
            <button
              type="button"
              className="sb-primary"
              disabled={busy}
              onClick={() => void submit(true)}
              data-testid="campaign-start"
            >
              {t('campaigns.start')}
            </button>
          ) : null}
        </div>
      </form>
    </div>
  );
}
