import { t, useLang } from '../../i18n';
import { refusalReason } from './labels';
import { CategoryChart, COLORS, DataTable, DayChart, Figures } from './parts';
import { percent } from './range';
import type { FailingNode, FlowsReport } from './types';

const nodeText = (n: FailingNode | null) => (n ? `${n.nodeId} (${n.nodeType})` : '—');

/** Runs, successes and failures per day and per flow; where runs fail; policy refusals by reason. */
export function FlowsView({ report }: { report: FlowsReport }) {
  const lang = useLang();
  const { totals } = report;
  const top = report.topFailingNode;
  return (
    <>
      <Figures
        items={[
          { label: t('analytics.col.runs'), value: totals.runs, testId: 'fig-runs' },
          { label: t('analytics.col.succeeded'), value: totals.succeeded, testId: 'fig-succeeded' },
          { label: t('analytics.col.failed'), value: totals.failed, testId: 'fig-run-failed' },
          {
            label: t('analytics.fig.successRate'),
            value: percent(totals.successRate, lang),
            testId: 'fig-success-rate',
          },
          {
            label: t('analytics.fig.topFailing'),
            value: top ? `${top.flowName ?? top.flowId} · ${nodeText(top)}` : '—',
            testId: 'fig-top-failing',
          },
        ]}
      />
      <DayChart
        rows={report.days}
        testId="chart-flows-days"
        series={[
          { key: 'runs', label: t('analytics.col.runs'), color: COLORS.navy },
          { key: 'succeeded', label: t('analytics.col.succeeded'), color: COLORS.green },
          { key: 'failed', label: t('analytics.col.failed'), color: COLORS.red },
        ]}
      />
      <DataTable
        title={t('analytics.section.byFlow')}
        rows={report.byFlow}
        rowKey={(r) => r.flowId}
        columns={[
          { label: t('analytics.col.flow'), cell: (r) => r.flowName ?? r.flowId },
          { label: t('analytics.col.runs'), cell: (r) => r.runs, numeric: true },
          { label: t('analytics.col.succeeded'), cell: (r) => r.succeeded, numeric: true },
          { label: t('analytics.col.failed'), cell: (r) => r.failed, numeric: true },
          { label: t('analytics.col.failsMostAt'), cell: (r) => nodeText(r.topFailingNode) },
        ]}
        empty={t('analytics.empty')}
        testId="table-flows"
        csvTable="flows"
      />
      <DataTable
        title={t('analytics.section.failingNodes')}
        rows={report.failuresByNode}
        rowKey={(r) => `${r.flowId}/${r.nodeId}`}
        columns={[
          { label: t('analytics.col.flow'), cell: (r) => r.flowName ?? r.flowId },
          { label: t('analytics.col.node'), cell: (r) => nodeText(r) },
          { label: t('analytics.col.failed'), cell: (r) => r.failures, numeric: true },
        ]}
        empty={t('analytics.noFailures')}
        testId="table-flows-nodes"
        csvTable="nodes"
      />
      <CategoryChart
        rows={report.policyRefusals.map((r) => ({ ...r, label: refusalReason(r.reason) }))}
        category="label"
        testId="chart-flows-refusals"
        series={[{ key: 'count', label: t('analytics.col.count'), color: COLORS.orange }]}
      />
      <DataTable
        title={t('analytics.section.refusals')}
        rows={report.policyRefusals}
        rowKey={(r) => r.reason}
        columns={[
          { label: t('analytics.col.reason'), cell: (r) => refusalReason(r.reason) },
          { label: t('analytics.col.count'), cell: (r) => r.count, numeric: true },
        ]}
        empty={t('analytics.noRefusals')}
        testId="table-flows-refusals"
        csvTable="refusals"
      />
    </>
  );
}
