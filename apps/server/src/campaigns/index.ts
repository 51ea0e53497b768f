export { type CampaignRunnerDeps, startCampaignRunner } from './runner.js';
export {
  type Audience,
  CampaignConflict,
  CampaignInvalid,
  CampaignService,
  type Schedule,
} from './service.js';
export { type CampaignTemplateSpec, resolveCampaignTemplate } from './template.js';
