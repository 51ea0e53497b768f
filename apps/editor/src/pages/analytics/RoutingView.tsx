import { t } from '../../i18n';
import { CategoryChart, COLORS, DataTable, DayChart, Figures } from './parts';
import { shortDuration } from './range';
import type { RoutingReport } from './types';

/** Conversations per team, time to assignment and to a first human reply, SLA breaches, agent load. */
export function RoutingView({ report }: { report: RoutingReport }) {
  const { totals } = report;
  return (
    <>
      <Figures
        items={[
          {
            label: t('analytics.col.conversations'),
            value: totals.conversations,
            testId: 'fig-conversations',
          },
          { label: t('analytics.col.assigned'), value: totals.assigned, testId: 'fig-assigned' },
          { label: t('analytics.col.slaBreaches'), value: totals.slaBreaches, testId: 'fig-sla-breaches' },
          {
            label: t('analytics.col.timeToAssign'),
            value: shortDuration(totals.medianTimeToAssignmentMs),
            testId: 'fig-time-to-assign',
          },
          {
            label: t('analytics.col.timeToReply'),
            value: shortDuration(totals.medianTimeToFirstReplyMs),
            testId: 'fig-time-to-reply',
          },
        ]}
      />
      <DayChart
        rows={report.days}
        testId="chart-routing-days"
        series={[
          { key: 'conversations', label: t('analytics.col.conversations'), color: COLORS.navy },
          { key: 'slaBreaches', label: t('analytics.col.slaBreaches'), color: COLORS.red },
        ]}
      />
      <DataTable
        title={t('analytics.section.byTeam')}
        rows={report.byTeam}
        rowKey={(r) => r.teamId}
        columns={[
          { label: t('analytics.col.team'), cell: (r) => r.teamName ?? r.teamId },
          { label: t('analytics.col.conversations'), cell: (r) => r.conversations, numeric: true },
          { label: t('analytics.col.assigned'), cell: (r) => r.assigned, numeric: true },
          { label: t('analytics.col.slaBreaches'), cell: (r) => r.slaBreaches, numeric: true },
          {
            label: t('analytics.col.timeToAssign'),
            cell: (r) => shortDuration(r.medianTimeToAssignmentMs),
            numeric: true,
          },
          {
            label: t('analytics.col.timeToReply'),
            cell: (r) => shortDuration(r.medianTimeToFirstReplyMs),
            numeric: true,
          },
        ]}
        empty={t('analytics.empty')}
        testId="table-routing-teams"
        csvTable="teams"
      />
      <CategoryChart
        rows={report.agentLoad}
        category="agentName"
        testId="chart-routing-agents"
        series={[
          { key: 'assigned', label: t('analytics.col.assigned'), color: COLORS.navy },
          { key: 'holding', label: t('analytics.col.holding'), color: COLORS.orange },
        ]}
      />
      <DataTable
        title={t('analytics.section.agentLoad')}
        rows={report.agentLoad}
        rowKey={(r) => r.agentId}
        columns={[
          { label: t('analytics.col.agent'), cell: (r) => r.agentName },
          { label: t('analytics.col.assigned'), cell: (r) => r.assigned, numeric: true },
          { label: t('analytics.col.holding'), cell: (r) => r.holding, numeric: true },
          { label: t('analytics.col.capacity'), cell: (r) => r.capacity, numeric: true },
        ]}
        empty={t('analytics.empty')}
        testId="table-routing-agents"
        csvTable="agents"
      />
    </>
  );
}
