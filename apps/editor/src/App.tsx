import { useEffect, useState } from 'react';
import { api, onUnauthorized } from './api/client';
import { apiKey } from './api/key';
import { getOnce } from './api/prefetch';
import type { NodeCatalogEntry } from './api/types';
import { type Lang, setLang, t, useLang } from './i18n';
import { navigate, usePath } from './router';
import { useEditor } from './store/editor';
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

export function App() {
  const [hasKey, setHasKey] = useState(() => apiKey.get() !== null);
  const [catalogError, setCatalogError] = useState<string | null>(null);
  const catalogReady = useEditor((s) => s.catalog !== null);
  const path = usePath();
  useLang();

  useEffect(
    () =>
      onUnauthorized(() => {
        apiKey.clear();
        setHasKey(false);
      }),
    [],
  );

  useEffect(() => {
    if (!hasKey) return;
    getOnce<{ items: NodeCatalogEntry[] }>('/api/node-types')
      .then((r) => useEditor.getState().setCatalog(r.items))
      .catch((e: Error) => setCatalogError(e.message));
  }, [hasKey]);

  if (!hasKey) return <KeyPrompt onDone={() => setHasKey(true)} />;
  const flowMatch = /^\/flows\/([^/]+)$/.exec(path);
  return (
    <div className="sb-app">
      <nav className="sb-nav">
        <button type="button" className="sb-brand" onClick={() => navigate('/')}>
          Switchboard
        </button>
        <span className="sb-spacer" />
        <LangSwitch />
      </nav>
      {catalogError ? <p className="sb-error sb-pad">{catalogError}</p> : null}
      {!catalogReady ? (
        <p className="sb-pad sb-muted">{t('common.loading')}</p>
      ) : flowMatch?.[1] ? (
        <EditorPage flowId={decodeURIComponent(flowMatch[1])} />
      ) : (
        <FlowListPage />
      )}
    </div>
  );
}

function LangSwitch() {
  const lang = useLang();
  return (
    <select
      className="sb-lang"
      value={lang}
      onChange={(e) => setLang(e.target.value as Lang)}
      aria-label={t('app.language')}
      data-testid="lang"
    >
      <option value="en">English</option>
      <option value="es">Español</option>
    </select>
  );
}

function KeyPrompt({ onDone }: { onDone: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    apiKey.set(key);
    try {
      await api.get('/api/flows');
      onDone();
    } catch (e) {
      apiKey.clear();
      setError((e as Error).message);
    }
  };
  return (
    <form
      className="sb-key"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h1>Switchboard</h1>
      <p>{t('app.keyHelp')}</p>
      <input
        type="password"
        value={key}
        onChange={(e) => setKey(e.target.value)}
        placeholder={t('app.keyPlaceholder')}
        autoComplete="off"
        data-testid="api-key"
      />
      <button type="submit" className="sb-primary" disabled={!key.trim()}>
        {t('app.signIn')}
      </button>
      {error ? <p className="sb-error">{error}</p> : null}
      <LangSwitch />
    </form>
  );
}
