import { t } from '../../i18n';
import { type Run, Section, useList } from '../people/parts';
import { ChannelCrmSync } from './ChannelCrmSync';
import type { Channel, CredentialInfo } from './types';

/** The editor's simulator channel: always on the sandbox, never synced to a CRM. */
const SIMULATOR = 'simulator';

/** CRM timeline sync, one block per business number: which CRM logs its messages, and the records. */
export function CrmSyncSection({ run }: { run: Run }) {
  const channels = useList<Channel>('/api/channels', run);
  const credentials = useList<CredentialInfo>('/api/credentials', run);
  const shown = channels.list?.filter((c) => c.id !== SIMULATOR) ?? null;
  return (
    <Section title={t('int.crm')} help={t('int.crmHelp')}>
      {shown && shown.length === 0 ? <p className="sb-muted">{t('int.noChannels')}</p> : null}
      {shown && credentials.list
        ? shown.map((c) => (
            <ChannelCrmSync key={c.id} channel={c} credentials={credentials.list!} run={run} />
          ))
        : null}
    </Section>
  );
}
