import { createContext, type ReactNode, useContext } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { t } from '../../i18n';

/** Downloads one table of the shown report as CSV (set by the page for the tables under it). */
export const CsvExport = createContext<((table: string) => void) | null>(null);

/** A line of a chart: the row field it plots, its label and colour. */
export interface Series {
  key: string;
  label: string;
  color: string;
}

export const COLORS = {
  green: '#128c7e',
  lime: '#25d366',
  blue: '#34b7f1',
  navy: '#1565c0',
  red: '#c62828',
  orange: '#ef6c00',
  grey: '#6b7480',
} as const;

/** Per-day figures as lines, one per series (days on the x axis, as the API lists them). */
export function DayChart<T extends { day: string }>({
  rows,
  series,
  testId,
}: {
  rows: readonly T[];
  series: readonly Series[];
  testId: string;
}) {
  return (
    <div className="sb-analytics-chart" data-testid={testId}>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={rows as T[]} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} minTickGap={16} />
          <YAxis allowDecimals={false} tick={{ fontSize: 11 }} width={40} />
          <Tooltip />
          <Legend />
          {series.map((s) => (
            <Line
              key={s.key}
              type="linear"
              dataKey={s.key}
              name={s.label}
              stroke={s.color}
              dot={rows.length <= 31}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Counts by a category (a flow, a reason, a team) as bars. */
export function CategoryChart<T extends object>({
  rows,
  category,
  series,
  testId,
}: {
  rows: readonly T[];
  category: string;
  series: readonly Series[];
  testId: string;
}) {
  if (rows.length === 0) return null;
  return (
    <div className="sb-analytics-chart" data-testid={testId}>
      <ResponsiveContainer width="100%" height={Math.min(360, 80 + rows.length * 28)}>
        <BarChart data={rows as T[]} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
          <YAxis type="category" dataKey={category} width={140} tick={{ fontSize: 11 }} />
          <Tooltip />
          <Legend />
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** The headline numbers of a report. */
export function Figures({
  items,
}: {
  items: readonly { label: string; value: ReactNode; testId: string }[];
}) {
  return (
    <div className="sb-analytics-figures">
      {items.map((f) => (
        <div key={f.testId} className="sb-analytics-figure">
          <span className="sb-muted">{f.label}</span>
          <strong data-testid={f.testId}>{f.value}</strong>
        </div>
      ))}
    </div>
  );
}

export interface Column<T> {
  label: string;
  cell(row: T): ReactNode;
  numeric?: boolean;
}

/** A table under a chart: the same numbers, exactly. */
export function DataTable<T>({
  title,
  rows,
  columns,
  rowKey,
  empty,
  testId,
  csvTable,
}: {
  title: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey(row: T): string;
  empty: string;
  testId: string;
  /** The server's name of this table, for its CSV export (`table=`). */
  csvTable: string;
}) {
  const exportCsv = useContext(CsvExport);
  return (
    <section className="sb-analytics-section">
      <h3>
        {title}
        {exportCsv ? (
          <button
            type="button"
            className="sb-link"
            onClick={() => exportCsv(csvTable)}
            data-testid={`${testId}-csv`}
          >
            {t('analytics.csv')}
          </button>
        ) : null}
      </h3>
      {rows.length === 0 ? (
        <p className="sb-muted">{empty}</p>
      ) : (
        <div className="sb-analytics-table-wrap">
          <table className="sb-table sb-analytics-table" data-testid={testId}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.label} className={c.numeric ? 'is-num' : ''}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)}>
                  {columns.map((c) => (
                    <td key={c.label} className={c.numeric ? 'is-num' : ''}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
