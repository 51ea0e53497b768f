import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App, EditorPage, FlowListPage } from './App';
import { captureKeyFromUrl } from './api/key';
import { prefetchFirstScreen } from './api/prefetch';
import { getLang } from './i18n';

captureKeyFromUrl();
prefetchFirstScreen(location.pathname);
// The page's code is fetched alongside the API calls rather than after the app has started.
void (location.pathname.startsWith('/flows/') ? EditorPage : FlowListPage).preload();
document.documentElement.lang = getLang();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
