import { useEffect, useRef, useState } from 'react';
import { t } from '../../i18n';
import { errorNotice, useEditor } from '../../store/editor';
import { type ContactBody, simulatorApi } from './api';
import { ContactForm } from './ContactForm';
import { draftFromContact, NEW_CONTACT, optedIn } from './contact-draft';
import type { SimContact } from './types';

const STORAGE_KEY = 'switchboard.simulator.contact';
const NEW = '__new__';

/** The simulator remembers the last test contact in this browser. */
export function rememberedContact(): string | null {
  return localStorage.getItem(STORAGE_KEY);
}

/**
 * Picks the test contact to write as, or creates / edits one. With no test contact yet, the form is
 * open with a ready-to-save example.
 */
export function ContactSection({
  waId,
  onChange,
}: {
  waId: string | null;
  onChange: (waId: string | null) => void;
}) {
  const notify = useEditor((s) => s.notify);
  const [contacts, setContacts] = useState<SimContact[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<'new' | 'current' | null>(null);
  const [saving, setSaving] = useState(false);

  // Loaded once when the simulator opens (saving updates the list in place): what was chosen then counts.
  const atOpen = useRef({ waId, onChange });
  useEffect(() => {
    const { waId, onChange } = atOpen.current;
    let stale = false;
    simulatorApi
      .contacts()
      .then(({ items }) => {
        if (stale) return;
        setContacts(items);
        const known = items.some((c) => c.waId === waId);
        if (!known) onChange(items[0]?.waId ?? null);
        if (items.length === 0) setEditing('new');
      })
      .catch((error) => {
        if (stale) return;
        setContacts([]);
        setLoadError(errorNotice(error).text);
        setEditing('new');
      });
    return () => {
      stale = true;
    };
  }, []);

  const current = contacts?.find((c) => c.waId === waId) ?? null;

  const save = async (id: string, body: ContactBody) => {
    setSaving(true);
    try {
      const saved = await simulatorApi.saveContact(id, body);
      const contact: SimContact = saved ?? { waId: id };
      setContacts((list) => [...(list ?? []).filter((c) => c.waId !== contact.waId), contact]);
      localStorage.setItem(STORAGE_KEY, contact.waId);
      onChange(contact.waId);
      setEditing(null);
      setLoadError(null);
      notify({ kind: 'info', text: t('sim.contact.saved', { name: contact.name || contact.waId }) });
    } catch (error) {
      notify(errorNotice(error));
    } finally {
      setSaving(false);
    }
  };

  if (contacts === null) return <p className="sb-muted sim-pad">{t('common.loading')}</p>;
  return (
    <section className="sim-contact">
      <div className="sim-row">
        <label className="sim-field sim-grow">
          <span>{t('sim.contact.pick')}</span>
          <select
            value={editing === 'new' ? NEW : (waId ?? NEW)}
            onChange={(e) => {
              if (e.target.value === NEW) return setEditing('new');
              setEditing(null);
              localStorage.setItem(STORAGE_KEY, e.target.value);
              onChange(e.target.value);
            }}
            data-testid="sim-contact-select"
          >
            {contacts.map((c) => (
              <option key={c.waId} value={c.waId}>
                {c.name ? `${c.name} · +${c.waId}` : `+${c.waId}`}
              </option>
            ))}
            <option value={NEW}>{t('sim.contact.new')}</option>
          </select>
        </label>
        {current && editing === null ? (
          <button type="button" onClick={() => setEditing('current')} data-testid="sim-contact-edit">
            {t('sim.contact.edit')}
          </button>
        ) : null}
      </div>
      {loadError ? <p className="sb-error">{loadError}</p> : null}
      {current && editing === null ? <ContactSummary contact={current} /> : null}
      {contacts.length === 0 && editing === 'new' ? (
        <p className="sb-muted">{t('sim.contact.none')}</p>
      ) : null}
      {editing ? (
        <ContactForm
          key={editing === 'current' && current ? current.waId : NEW}
          initial={editing === 'current' && current ? draftFromContact(current, Date.now()) : NEW_CONTACT}
          saving={saving}
          onSave={(id, body) => void save(id, body)}
          onCancel={contacts.length > 0 ? () => setEditing(null) : null}
        />
      ) : null}
    </section>
  );
}

function ContactSummary({ contact }: { contact: SimContact }) {
  const hours =
    contact.lastMessageHoursAgo ??
    (contact.lastInboundAt ? (Date.now() - Date.parse(contact.lastInboundAt)) / 3_600_000 : null);
  const open = contact.windowOpen ?? (hours !== null && hours < 24);
  const tier = contact.tier ?? contact.attributes?.tier;
  const facts = [contact.country, typeof tier === 'string' ? tier : null, contact.timezone].filter(Boolean);
  return (
    <p className="sim-summary" data-testid="sim-contact-summary">
      {facts.length > 0 ? `${facts.join(' · ')} · ` : ''}
      {optedIn(contact) ? t('sim.contact.optedInShort') : t('sim.contact.notOptedIn')} ·{' '}
      <span className={open ? 'sim-window-open' : 'sim-window-closed'}>
        {open ? t('sim.contact.windowOpen') : t('sim.contact.windowClosed')}
      </span>
    </p>
  );
}
