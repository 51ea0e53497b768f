import { CampaignDetail } from './CampaignDetail';
import { CampaignFormPage } from './CampaignFormPage';
import { CampaignList } from './CampaignList';
import '../../auth/auth.css';
import '../integrations/integrations.css';
import './campaigns.css';

/**
 * `/campaigns` lists the broadcast campaigns; `/campaigns/new` and `/campaigns/:id/edit` are the form,
 * `/campaigns/:id` a campaign's progress and results (docs/editor.md#campaigns).
 */
export function CampaignsPage({ path }: { path: string }) {
  const edit = /^\/campaigns\/([^/]+)\/edit$/.exec(path);
  const one = /^\/campaigns\/([^/]+)$/.exec(path);
  if (path === '/campaigns/new') return <CampaignFormPage id={null} />;
  if (edit?.[1]) return <CampaignFormPage id={decodeURIComponent(edit[1])} />;
  if (one?.[1]) return <CampaignDetail id={decodeURIComponent(one[1])} />;
  return <CampaignList />;
}
