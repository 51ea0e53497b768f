import { type ReactNode, useEffect, useState } from 'react';
import { onUnauthorized } from './api/client';
import { getOnce } from './api/prefetch';
import type { NodeCatalogEntry } from './api/types';
import { InvitePage, SetupPage, SignInPage } from './auth/AuthPages';
import { can } from './auth/roles';
import { loadStatus, useAuth } from './auth/session';
import { UserMenu } from './auth/UserMenu';
import { t, useLang } from './i18n';
import { hasAnalytics } from './pages/analytics/access';
import { hasCampaigns } from './pages/campaigns/access';
import { hasContacts } from './pages/contacts/access';
import { hasInbox } from './pages/inbox/access';
import { hasIntegrations } from './pages/integrations/access';
import { hasMonitoring } from './pages/monitoring/access';
import { navigate, usePath } from './router';
import { useEditor } from './store/editor';
import { LangSwitch } from './ui/LangSwitch';
import { lazyComponent } from './ui/lazy';

// Each page is its own chunk: opening a flow does not load the flow list's code, and the reverse.
// main.tsx preloads the one the address asks for, alongside the first API calls.
const loading = () => <p className="sb-pad sb-muted">{t('common.loading')}</p>;
export const EditorPage = lazyComponent(
  () => import('./pages/EditorPage').then((m) => m.EditorPage),
  loading,
);
export const FlowListPage = lazyComponent(
  () => import('./pages/FlowListPage').then((m) => m.FlowListPage),
  loading,
);
export const PeoplePage = lazyComponent(
  () => import('./pages/PeoplePage').then((m) => m.PeoplePage),
  loading,
);

export const InboxPage = lazyComponent(
  () => import('./pages/inbox/InboxPage').then((m) => m.InboxPage),
  loading,
);
export const TemplatesPage = lazyComponent(
  () => import('./pages/templates/TemplatesPage').then((m) => m.TemplatesPage),
  loading,
);
export const AnalyticsPage = lazyComponent(
  () => import('./pages/analytics/AnalyticsPage').then((m) => m.AnalyticsPage),
  loading,
);
export const MonitoringPage = lazyComponent(
  () => import('./pages/monitoring/MonitoringPage').then((m) => m.MonitoringPage),
  loading,
);

export const IntegrationsPage = lazyComponent(
  () => import('./pages/integrations/IntegrationsPage').then((m) => m.IntegrationsPage),
  loading,
);

export const ContactsPage = lazyComponent(
  () => import('./pages/contacts/ContactsPage').then((m) => m.ContactsPage),
  loading,
);

export const CampaignsPage = lazyComponent(
  () => import('./pages/campaigns/CampaignsPage').then((m) => m.CampaignsPage),
  loading,
);

/** The first status read takes main.tsx's prefetched answer; StrictMode's second mount must not. */
let firstStatus = true;

/**
 * Who is signed in decides the page: the owner's account on first start, the sign-in page, an
 * invitation (`/invite#<token>`, whoever is signed in), or the app for the role.
 */
export function App() {
  const path = usePath();
  const phase = useAuth((s) => s.phase);
  useLang();

  useEffect(() => {
    void loadStatus(firstStatus);
    firstStatus = false;
  }, []);
  // A refused key or an ended session: ask the server where we stand (it will be the sign-in page).
  useEffect(() => onUnauthorized(() => void loadStatus()), []);

  if (path === '/invite') return <InvitePage />;
  if (phase === 'loading') return loading();
  if (phase === 'offline') return <Offline />;
  if (phase === 'setup') return <SetupPage />;
  if (phase === 'signIn') return <SignInPage />;
  return <Shell path={path} />;
}

function Offline() {
  const error = useAuth((s) => s.error);
  return (
    <div className="sb-pad" data-testid="offline">
      <p className="sb-error">{t('auth.offline')}</p>
      {error ? <p className="sb-muted">{error}</p> : null}
      <button type="button" onClick={() => void loadStatus()}>
        {t('auth.retry')}
      </button>
    </div>
  );
}

function Shell({ path }: { path: string }) {
  const role = useAuth((s) => s.role);
  const [catalogError, setCatalogError] = useState<string | null>(null);
  const catalogReady = useEditor((s) => s.catalog !== null);
  const readsFlows = can(role, 'viewFlows');

  useEffect(() => {
    if (!readsFlows || useEditor.getState().catalog) return;
    getOnce<{ items: NodeCatalogEntry[] }>('/api/node-types')
      .then((r) => useEditor.getState().setCatalog(r.items))
      .catch((e: Error) => setCatalogError(e.message));
  }, [readsFlows]);

  const flowMatch = /^\/flows\/([^/]+)$/.exec(path);
  const inboxMatch = /^\/inbox(?:\/([^/]+))?$/.exec(path);
  const inbox = (id: string | null) => <InboxPage conversationId={id} />;
  let page: ReactNode;
  if (path === '/people') {
    page = can(role, 'managePeople') ? (
      <PeoplePage />
    ) : (
      <p className="sb-pad sb-error" data-testid="people-forbidden">
        {t('people.forbidden')}
      </p>
    );
  } else if (inboxMatch) {
    page = hasInbox(role) ? (
      inbox(inboxMatch[1] ? decodeURIComponent(inboxMatch[1]) : null)
    ) : (
      <p className="sb-pad sb-error" data-testid="inbox-forbidden">
        {t('inbox.forbidden')}
      </p>
    );
  } else if (path === '/analytics') {
    page = hasAnalytics(role) ? (
      <AnalyticsPage />
    ) : (
      <p className="sb-pad sb-error" data-testid="analytics-forbidden">
        {t('analytics.forbidden')}
      </p>
    );
  } else if (path === '/templates' && readsFlows) {
    page = <TemplatesPage />;
  } else if (path === '/monitoring') {
    page = hasMonitoring(role) ? (
      <MonitoringPage />
    ) : (
      <p className="sb-pad sb-error" data-testid="monitoring-forbidden">
        {t('monitoring.forbidden')}
      </p>
    );
  } else if (path === '/integrations') {
    page = hasIntegrations(role) ? (
      <IntegrationsPage />
    ) : (
      <p className="sb-pad sb-error" data-testid="integrations-forbidden">
        {t('int.forbidden')}
      </p>
    );
  } else if (path === '/contacts') {
    page = hasContacts(role) ? (
      <ContactsPage />
    ) : (
      <p className="sb-pad sb-error" data-testid="contacts-forbidden">
        {t('contacts.forbidden')}
      </p>
    );
  } else if (path === '/campaigns' || path.startsWith('/campaigns/')) {
    page = hasCampaigns(role) ? (
      <CampaignsPage path={path} />
    ) : (
      <p className="sb-pad sb-error" data-testid="campaigns-forbidden">
        {t('campaigns.forbidden')}
      </p>
    );
  } else if (!readsFlows) {
    // Agents work in the inbox: it is their first page.
    page = hasInbox(role) ? inbox(null) : <NothingHere />;
  } else if (!catalogReady) {
    page = catalogError ? null : loading();
  } else if (flowMatch?.[1]) {
    page = <EditorPage flowId={decodeURIComponent(flowMatch[1])} />;
  } else {
    page = <FlowListPage />;
  }
  const here = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  return (
    <div className="sb-app">
      <nav className="sb-nav">
        <button type="button" className="sb-brand" onClick={() => navigate('/')}>
          Switchboard
        </button>
        {readsFlows ? (
          <button
            type="button"
            style={navLink(path === '/' || here('/flows'))}
            onClick={() => navigate('/')}
            data-testid="nav-flows"
          >
            {t('editor.flows')}
          </button>
        ) : null}
        {hasInbox(role) ? (
          <button
            type="button"
            style={navLink(here('/inbox'))}
            onClick={() => navigate('/inbox')}
            data-testid="nav-inbox"
          >
            {t('inbox.nav')}
          </button>
        ) : null}
        {readsFlows ? (
          <button
            type="button"
            style={navLink(here('/templates'))}
            onClick={() => navigate('/templates')}
            data-testid="nav-templates"
          >
            {t('templates.nav')}
          </button>
        ) : null}
        {hasAnalytics(role) ? (
          <button
            type="button"
            style={navLink(here('/analytics'))}
            onClick={() => navigate('/analytics')}
            data-testid="nav-analytics"
          >
            {t('analytics.nav')}
          </button>
        ) : null}
        {hasMonitoring(role) ? (
          <button
            type="button"
            style={navLink(here('/monitoring'))}
            onClick={() => navigate('/monitoring')}
            data-testid="nav-monitoring"
          >
            {t('monitoring.nav')}
          </button>
        ) : null}
        {hasIntegrations(role) ? (
          <button
            type="button"
            style={navLink(here('/integrations'))}
            onClick={() => navigate('/integrations')}
            data-testid="nav-integrations"
          >
            {t('int.nav')}
          </button>
        ) : null}
        {hasContacts(role) ? (
          <button
            type="button"
            style={navLink(here('/contacts'))}
            onClick={() => navigate('/contacts')}
            data-testid="nav-contacts"
          >
            {t('contacts.nav')}
          </button>
        ) : null}
        {hasCampaigns(role) ? (
          <button
            type="button"
            style={navLink(here('/campaigns'))}
            onClick={() => navigate('/campaigns')}
            data-testid="nav-campaigns"
          >
            {t('campaigns.nav')}
          </button>
        ) : null}
        <span className="sb-spacer" />
        <LangSwitch />
        <UserMenu />
      </nav>
      {catalogError ? <p className="sb-error sb-pad">{catalogError}</p> : null}
      {page}
    </div>
  );
}

/** The nav bar's page links: white on the bar, the current page underlined. */
const navLink = (current: boolean) =>
  ({
    background: 'none',
    border: 'none',
    color: '#fff',
    opacity: current ? 1 : 0.8,
    textDecoration: current ? 'underline' : 'none',
    textUnderlineOffset: '4px',
  }) as const;

/** A role with neither flows nor an inbox (none today; kept for roles the server may add). */
function NothingHere() {
  return (
    <div className="sb-page sb-agent" data-testid="agent-notice">
      <h1>{t('agent.title')}</h1>
      <p>{t('agent.nothing')}</p>
      <p className="sb-muted">{t('agent.askAdmin')}</p>
    </div>
  );
}
