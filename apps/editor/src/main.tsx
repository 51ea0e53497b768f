import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import {
  AnalyticsPage,
  App,
  CampaignsPage,
  EditorPage,
  FlowListPage,
  InboxPage,
  IntegrationsPage,
  MonitoringPage,
  PeoplePage,
} from './App';
import { captureKeyFromUrl } from './api/key';
import { prefetchFirstScreen } from './api/prefetch';
import { captureSetupCodeFromUrl } from './auth/setup-code';
import { getLang } from './i18n';

captureKeyFromUrl();
captureSetupCodeFromUrl();
prefetchFirstScreen(location.pathname);
// The page's code is fetched alongside the API calls rather than after the app has started.
const firstPage = location.pathname.startsWith('/flows/')
  ? EditorPage
  : location.pathname === '/people'
    ? PeoplePage
    : location.pathname.startsWith('/inbox')
      ? InboxPage
      : location.pathname === '/analytics'
        ? AnalyticsPage
        : location.pathname === '/monitoring'
          ? MonitoringPage
          : location.pathname === '/integrations'
            ? IntegrationsPage
            : location.pathname.startsWith('/campaigns')
              ? CampaignsPage
              : FlowListPage;
void firstPage.preload();
document.documentElement.lang = getLang();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
