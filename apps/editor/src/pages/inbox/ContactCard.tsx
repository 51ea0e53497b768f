import { t } from '../../i18n';
import type { InboxContact } from './types';

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Who the customer is: number, country, time zone, tags and every stored attribute. */
export function ContactCard({ contact }: { contact: InboxContact | null }) {
  if (!contact) return null;
  // The tier is shown above; every other stored attribute as it is.
  const attributes = Object.entries(contact.attributes ?? {}).filter(([key]) => key !== 'tier');
  return (
    <aside className="sb-inbox-contact" data-testid="inbox-contact">
      <h3>{t('inbox.contact')}</h3>
      <dl>
        <dt>{t('inbox.contactNumber')}</dt>
        <dd>{contact.phone ?? `+${contact.waId}`}</dd>
        {contact.country ? (
          <>
            <dt>{t('inbox.contactCountry')}</dt>
            <dd>{contact.country}</dd>
          </>
        ) : null}
        {contact.tier ? (
          <>
            <dt>{t('inbox.contactTier')}</dt>
            <dd data-testid="inbox-contact-tier">{contact.tier}</dd>
          </>
        ) : null}
        {contact.tags.length ? (
          <>
            <dt>{t('inbox.contactTags')}</dt>
            <dd>
              {contact.tags.map((tag) => (
                <span key={tag} className="sb-badge">
                  {tag}
                </span>
              ))}
            </dd>
          </>
        ) : null}
        {attributes.map(([key, value]) => (
          <div key={key} className="sb-inbox-attr" data-testid={`inbox-attr-${key}`}>
            <dt>{key}</dt>
            <dd>{shown(value)}</dd>
          </div>
        ))}
      </dl>
      {attributes.length === 0 ? <p className="sb-muted">{t('inbox.noAttributes')}</p> : null}
    </aside>
  );
}
