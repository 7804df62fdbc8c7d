import { followUpScheduler, startFollowUpJobs } from './automation/follow-up-jobs.ts';
import { startRecurringTicketJobs } from './automation/recurring-jobs.ts';
import { slaEngine } from './automation/sla-engine.ts';
import { startSlaJobs } from './automation/sla-jobs.ts';
import { startTimeTriggerJobs } from './automation/time-trigger-jobs.ts';
import { triggerEngine } from './automation/trigger-engine.ts';
import { answerBot, startBotJobs } from './bot/bot-handler.ts';
import { createMessagingSender, messagingReplies } from './channels/messaging-outbound.ts';
import { chatDelivery, chatStatus } from './chat/chat-delivery.ts';
import { startOutreachJobs } from './crm/outreach-routes.ts';
import { outreachScheduler } from './crm/outreach-send.ts';
import { createImapPoller } from './email/imap-poller.ts';
import { intakeEmail } from './email/inbound-intake.ts';
import { agentNotifications } from './email/outbound-notifications.ts';
import { outboundReplies } from './email/outbound-replies.ts';
import { createOutboundSender } from './email/outbound-sender.ts';
import { startCampaignJobs } from './feedback/campaign-jobs.ts';
import { csatScheduler, startCsatJobs } from './feedback/csat-jobs.ts';
import { startThemeJobs, themeAssigner } from './feedback/theme-jobs.ts';
import { messageLanguages } from './intel/language-service.ts';
import { messageSentiments } from './intel/sentiment-service.ts';
import { startTriageJobs, ticketTriage, triageEdits } from './intel/triage-jobs.ts';
import type { Deps } from './platform/deps.ts';
import { startMaintenance } from './platform/maintenance.ts';
import type { OutboxHandler } from './platform/outbox/relay.ts';
import { realtimeFanOut } from './platform/realtime/hub.ts';
import { startWeeklySummaryJobs } from './reports/weekly-summary-jobs.ts';
import { qaPreScore } from './training/qa-jobs.ts';
import { createWebhookDeliveryWorker } from './webhooks/webhook-delivery.ts';
import { webhookFanOut } from './webhooks/webhook-fan-out.ts';

/** The handlers the outbox relay runs for every committed domain event. */
export function workerHandlers(deps: Deps): OutboxHandler[] {
  return [
    realtimeFanOut,
    chatDelivery,
    chatStatus,
    webhookFanOut,
    messagingReplies,
    outboundReplies(deps.config),
    agentNotifications(deps.config),
    // Before triggers: their conditions see what intelligence found in the same batch.
    ticketTriage,
    triageEdits(deps.queue),
    messageSentiments,
    triggerEngine,
    slaEngine(deps.queue),
    followUpScheduler(deps.queue),
    csatScheduler(deps.queue),
    themeAssigner(deps.queue),
    messageLanguages,
    qaPreScore,
    answerBot(deps),
    outreachScheduler(deps),
  ];
}

/** Background loops of the worker role besides the relay; resolves to a function that stops them. */
export async function startWorkers(deps: Deps): Promise<() => Promise<void>> {
  await startSlaJobs(deps);
  await startTimeTriggerJobs(deps);
  await startFollowUpJobs(deps);
  await startRecurringTicketJobs(deps);
  await startCsatJobs(deps);
  await startTriageJobs(deps);
  await startBotJobs(deps);
  await startThemeJobs(deps);
  await startCampaignJobs(deps);
  await startWeeklySummaryJobs(deps);
  await startOutreachJobs(deps);
  const webhooks = createWebhookDeliveryWorker(deps);
  await webhooks.start();
  const outboundEmail = createOutboundSender(deps);
  await outboundEmail.start();
  const messaging = createMessagingSender(deps);
  await messaging.start();
  const stopMaintenance = startMaintenance(deps.db, deps.logger);
  const imap = createImapPoller(deps, { intake: (input) => intakeEmail(deps, input) });
  imap.start();
  return async () => {
    await imap.stop();
    await stopMaintenance();
    await webhooks.stop();
    await outboundEmail.stop();
    await messaging.stop();
  };
}
