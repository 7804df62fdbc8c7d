import { createRequire } from 'node:module';
import { registerAttachmentRoutes } from './attachments/attachment-routes.ts';
import { registerAuditRoutes } from './audit/audit-routes.ts';
import { registerAgentProfileRoutes } from './automation/agent-profile-routes.ts';
import { registerFollowUpRoutes } from './automation/follow-up-routes.ts';
import { registerJobRoutes } from './automation/job-routes.ts';
import { registerMacroRoutes } from './automation/macro-routes.ts';
import { registerRecurringTicketRoutes } from './automation/recurring-routes.ts';
import { registerSlaRoutes } from './automation/sla-routes.ts';
import { registerTriggerRoutes } from './automation/trigger-routes.ts';
import { registerBotRoutes } from './bot/bot-routes.ts';
import { registerCannedRoutes } from './canned/canned-routes.ts';
import { registerChannelRoutes } from './channels/channel-routes.ts';
import { registerChatRoutes } from './chat/chat-routes.ts';
import { registerCompanyRoutes } from './companies/company-routes.ts';
import { registerConsoleRoutes } from './console/console-routes.ts';
import { registerCrmRoutes } from './crm/crm-routes.ts';
import { registerCustomerRoutes } from './customers/customer-routes.ts';
import { registerImapRoutes } from './email/imap-routes.ts';
import { registerInboundEmailRoutes } from './email/inbound-routes.ts';
import { registerOutboundEmailRoutes } from './email/outbound-routes.ts';
import { registerCampaignRoutes } from './feedback/campaign-routes.ts';
import { registerFeedbackRoutes } from './feedback/feedback-routes.ts';
import { registerSurveyRoutes } from './feedback/survey-routes.ts';
import { registerThemeRoutes } from './feedback/theme-routes.ts';
import { registerFieldRoutes } from './fields/field-routes.ts';
import { registerHelpCenterRoutes } from './helpcenter/helpcenter-routes.ts';
import { registerCoachRoutes } from './intel/coach-routes.ts';
import { registerLanguageRoutes } from './intel/language-routes.ts';
import { registerSentimentRoutes } from './intel/sentiment-routes.ts';
import { registerSimilarRoutes } from './intel/similar-routes.ts';
import { registerSummaryRoutes } from './intel/summary-routes.ts';
import { registerTriageRoutes } from './intel/triage-routes.ts';
import { registerKbRoutes } from './kb/kb-routes.ts';
import { registerOnboardingRoutes } from './onboarding/onboarding-routes.ts';
import type { Deps } from './platform/deps.ts';
import { type App, createHttpServer } from './platform/http/server.ts';
import { registerOperationsRoutes } from './platform/observability/operations-routes.ts';
import { registerStreamRoutes } from './platform/realtime/stream-routes.ts';
import { registerPortalRoutes } from './portal/portal-routes.ts';
import { registerReportRoutes } from './reports/report-routes.ts';
import { registerSearchRoutes } from './search/search-routes.ts';
import { registerTagRoutes } from './tags/tag-routes.ts';
import { registerTeamRoutes } from './teams/team-routes.ts';
import { registerTicketBulkRoutes } from './tickets/ticket-bulk-routes.ts';
import { registerTicketRoutes } from './tickets/ticket-routes.ts';
import { registerQaRoutes } from './training/qa-routes.ts';
import { registerTeamHealthRoutes } from './training/team-health-routes.ts';
import { registerTrainingRoutes } from './training/training-routes.ts';
import { registerAuthRoutes } from './users/auth-routes.ts';
import { registerUserRoutes } from './users/user-routes.ts';
import { registerViewRoutes } from './views/view-routes.ts';
import { registerWebFormRoutes } from './webform/webform-routes.ts';
import { registerWebhookRoutes } from './webhooks/webhook-routes.ts';
import { registerWorkspaceRoutes } from './workspaces/workspace-routes.ts';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** The composition root: one HTTP app with every capability registered on the shared plumbing. */
export async function buildApp(deps: Deps): Promise<App> {
  const app = await createHttpServer({
    db: deps.db,
    clock: deps.clock,
    secretBox: deps.secretBox,
    logger: deps.logger,
    version,
    publicOrigin: deps.config.RAPPORT_PUBLIC_URL ? new URL(deps.config.RAPPORT_PUBLIC_URL).origin : undefined,
  });
  for (const register of [
    registerOperationsRoutes,
    // Before every other capability: its hook must see all their routes.
    registerAuditRoutes,
    registerAuthRoutes,
    registerUserRoutes,
    registerTicketRoutes,
    registerCustomerRoutes,
    registerWebhookRoutes,
    registerStreamRoutes,
    registerCompanyRoutes,
    registerTeamRoutes,
    registerTagRoutes,
    registerFieldRoutes,
    registerWorkspaceRoutes,
    registerConsoleRoutes,
    registerCannedRoutes,
    registerViewRoutes,
    registerTicketBulkRoutes,
    registerSearchRoutes,
    registerReportRoutes,
    registerSurveyRoutes,
    registerFeedbackRoutes,
    registerThemeRoutes,
    registerCampaignRoutes,
    registerAttachmentRoutes,
    registerOnboardingRoutes,
    registerInboundEmailRoutes,
    registerImapRoutes,
    registerOutboundEmailRoutes,
    registerChatRoutes,
    registerJobRoutes,
    registerSlaRoutes,
    registerTriggerRoutes,
    registerRecurringTicketRoutes,
    registerCoachRoutes,
    registerMacroRoutes,
    registerFollowUpRoutes,
    registerAgentProfileRoutes,
    registerSimilarRoutes,
    registerSummaryRoutes,
    registerLanguageRoutes,
    registerTriageRoutes,
    registerSentimentRoutes,
    registerChannelRoutes,
    registerHelpCenterRoutes,
    registerWebFormRoutes,
    registerPortalRoutes,
    registerKbRoutes,
    registerBotRoutes,
    registerTrainingRoutes,
    registerQaRoutes,
    registerTeamHealthRoutes,
    registerCrmRoutes,
  ]) {
    await register(app, deps);
  }
  return app;
}
