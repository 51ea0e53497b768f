import { t } from '../../i18n';
import { consentSource } from './labels';
import { COLORS, DataTable, DayChart, Figures } from './parts';
import type { ConsentReport } from './types';

/** Opt-ins and opt-outs customers made through WhatsApp, per day and by where they came from. */
export function ConsentView({ report }: { report: ConsentReport }) {
  return (
    <>
      <Figures
        items={[
          { label: t('analytics.col.optIns'), value: report.totals.optIns, testId: 'fig-opt-ins' },
          { label: t('analytics.col.optOuts'), value: report.totals.optOuts, testId: 'fig-opt-outs' },
        ]}
      />
      <DayChart
        rows={report.days}
        testId="chart-consent-days"
        series={[
          { key: 'optIns', label: t('analytics.col.optIns'), color: COLORS.green },
          { key: 'optOuts', label: t('analytics.col.optOuts'), color: COLORS.red },
        ]}
      />
      <DataTable
        title={t('analytics.section.perDay')}
        rows={report.days}
        rowKey={(r) => r.day}
        columns={[
          { label: t('analytics.col.day'), cell: (r) => r.day },
          { label: t('analytics.col.optIns'), cell: (r) => r.optIns, numeric: true },
          { label: t('analytics.col.optOuts'), cell: (r) => r.optOuts, numeric: true },
        ]}
        empty={t('analytics.empty')}
        testId="table-consent-days"
        csvTable="days"
      />
      <DataTable
        title={t('analytics.section.bySource')}
        rows={report.bySource}
        rowKey={(r) => r.source}
        columns={[
          { label: t('analytics.col.source'), cell: (r) => consentSource(r.source) },
          { label: t('analytics.col.optIns'), cell: (r) => r.optIns, numeric: true },
          { label: t('analytics.col.optOuts'), cell: (r) => r.optOuts, numeric: true },
        ]}
        empty={t('analytics.empty')}
        testId="table-consent-sources"
        csvTable="sources"
      />
    </>
  );
}
