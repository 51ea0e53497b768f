/** The reports `/api/analytics/*` answer (the shapes of packages/db's analytics-model.ts). */

export interface MessageCounts {
  messages: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  refused: number;
}

export interface MessagingReport {
  days: Array<MessageCounts & { day: string }>;
  totals: MessageCounts & {
    deliveryRate: number | null;
    readRate: number | null;
    medianTimeToReadMs: number | null;
  };
  byFlow: Array<MessageCounts & { flowId: string | null; flowName: string | null }>;
  byTemplate: Array<MessageCounts & { template: string }>;
  /** `meaning`: Meta's words for the code, when the server gives them. */
  failuresByCode: Array<{ code: string; count: number; meaning?: string | null }>;
}

export interface RunCounts {
  runs: number;
  succeeded: number;
  failed: number;
}

export interface FailingNode {
  flowId: string;
  flowName: string | null;
  nodeId: string;
  nodeType: string;
  failures: number;
}

export interface FlowsReport {
  days: Array<RunCounts & { day: string }>;
  totals: RunCounts & { successRate: number | null };
  byFlow: Array<RunCounts & { flowId: string; flowName: string | null; topFailingNode: FailingNode | null }>;
  failuresByNode: FailingNode[];
  topFailingNode: FailingNode | null;
  policyRefusals: Array<{ reason: string; count: number }>;
}

export interface RoutingFigures {
  conversations: number;
  assigned: number;
  slaBreaches: number;
  medianTimeToAssignmentMs: number | null;
  medianTimeToFirstReplyMs: number | null;
}

export interface RoutingReport {
  days: Array<{ day: string; conversations: number; slaBreaches: number }>;
  totals: RoutingFigures;
  byTeam: Array<RoutingFigures & { teamId: string; teamName: string | null }>;
  agentLoad: Array<{
    agentId: string;
    agentName: string;
    capacity: number;
    assigned: number;
    holding: number;
  }>;
}

export interface ConsentReport {
  days: Array<{ day: string; optIns: number; optOuts: number }>;
  totals: { optIns: number; optOuts: number };
  bySource: Array<{ source: string; optIns: number; optOuts: number }>;
}

export interface Reports {
  messaging: MessagingReport;
  flows: FlowsReport;
  routing: RoutingReport;
  consent: ConsentReport;
}
