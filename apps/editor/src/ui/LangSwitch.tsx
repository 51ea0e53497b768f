import { type Lang, setLang, t, useLang } from '../i18n';

export function LangSwitch() {
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
