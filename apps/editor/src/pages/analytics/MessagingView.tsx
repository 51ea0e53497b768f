import { t, useLang } from '../../i18n';
import { metaErrorMeaning } from './labels';
import { CategoryChart, COLORS, type Column, DataTable, DayChart, Figures } from './parts';
import { percent, shortDuration } from './range';
import type { MessageCounts, MessagingReport } from './types';

/** The count columns every messaging table shares. */
function countColumns<T extends MessageCounts>(): Column<T>[] {
  return [
    { label: t('analytics.col.messages'), cell: (r) => r.messages, numeric: true },
    { label: t('analytics.col.sent'), cell: (r) => r.sent, numeric: true },
    { label: t('analytics.col.delivered'), cell: (r) => r.delivered, numeric: true },
    { label: t('analytics.col.read'), cell: (r) => r.read, numeric: true },
    { label: t('analytics.col.failed'), cell: (r) => r.failed, numeric: true },
    { label: t('analytics.col.refused'), cell: (r) => r.refused, numeric: true },
  ];
}

/** Sent, delivered, read and failed per day, per flow and per template; failures by Meta's code. */
export function MessagingView({ report }: { report: MessagingReport }) {
  const lang = useLang();
  const { totals } = report;
  const flowName = (r: { flowId: string | null; flowName: string | null }) =>
    r.flowId === null ? t('analytics.noFlow') : (r.flowName ?? r.flowId);
  return (
    <>
      <Figures
        items={[
          { label: t('analytics.col.sent'), value: totals.sent, testId: 'fig-sent' },
          { label: t('analytics.col.delivered'), value: totals.delivered, testId: 'fig-delivered' },
          { label: t('analytics.col.read'), value: totals.read, testId: 'fig-read' },
          { label: t('analytics.col.failed'), value: totals.failed, testId: 'fig-failed' },
          {
            label: t('analytics.fig.deliveryRate'),
            value: percent(totals.deliveryRate, lang),
            testId: 'fig-delivery-rate',
          },
          {
            label: t('analytics.fig.readRate'),
            value: percent(totals.readRate, lang),
            testId: 'fig-read-rate',
          },
          {
            label: t('analytics.fig.medianRead'),
            value: shortDuration(totals.medianTimeToReadMs),
            testId: 'fig-median-read',
          },
        ]}
      />
      <DayChart
        rows={report.days}
        testId="chart-messaging-days"
        series={[
          { key: 'sent', label: t('analytics.col.sent'), color: COLORS.green },
          { key: 'delivered', label: t('analytics.col.delivered'), color: COLORS.lime },
          { key: 'read', label: t('analytics.col.read'), color: COLORS.blue },
          { key: 'failed', label: t('analytics.col.failed'), color: COLORS.red },
        ]}
      />
      <DataTable
        title={t('analytics.section.perDay')}
        rows={report.days}
        rowKey={(r) => r.day}
        columns={[
          { label: t('analytics.col.day'), cell: (r) => r.day },
          ...countColumns<MessagingReport['days'][number]>(),
        ]}
        empty={t('analytics.empty')}
        testId="table-messaging-days"
        csvTable="days"
      />
      <DataTable
        title={t('analytics.section.byFlow')}
        rows={report.byFlow}
        rowKey={(r) => r.flowId ?? ''}
        columns={[
          { label: t('analytics.col.flow'), cell: flowName },
          ...countColumns<MessagingReport['byFlow'][number]>(),
        ]}
        empty={t('analytics.empty')}
        testId="table-messaging-flows"
        csvTable="flows"
      />
      <DataTable
        title={t('analytics.section.byTemplate')}
        rows={report.byTemplate}
        rowKey={(r) => r.template}
        columns={[
          { label: t('analytics.col.template'), cell: (r) => r.template },
          ...countColumns<MessagingReport['byTemplate'][number]>(),
        ]}
        empty={t('analytics.empty')}
        testId="table-messaging-templates"
        csvTable="templates"
      />
      <CategoryChart
        rows={report.failuresByCode}
        category="code"
        testId="chart-messaging-failures"
        series={[{ key: 'count', label: t('analytics.col.failed'), color: COLORS.red }]}
      />
      <DataTable
        title={t('analytics.section.failures')}
        rows={report.failuresByCode}
        rowKey={(r) => r.code}
        columns={[
          { label: t('analytics.col.code'), cell: (r) => r.code },
          { label: t('analytics.col.meaning'), cell: (r) => metaErrorMeaning(r.code, r.meaning) },
          { label: t('analytics.col.count'), cell: (r) => r.count, numeric: true },
        ]}
        empty={t('analytics.noFailures')}
        testId="table-messaging-failures"
        csvTable="failures"
      />
    </>
  );
}
