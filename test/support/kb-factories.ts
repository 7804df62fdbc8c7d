import { importArticles } from '../../src/kb/kb-import.ts';
import type { Actor } from '../../src/platform/auth/actor.ts';
import type { Db } from '../../src/platform/db/database.ts';

const FAQ: [string, string][] = [
  ['Reset your password', 'Open Sign in, press "Forgot password" and follow the link we email you.'],
  ['Change your email address', 'Open Settings, then Profile, and type the new address.'],
  ['Download your invoice', 'Open Billing and press Download next to the invoice.'],
  ['Cancel your subscription', 'Open Billing, then Plan, and press Cancel subscription.'],
  ['Refund policy', 'Money goes back to your card within 5 days of a return.'],
  ['Track your parcel', 'The shipping email has a tracking link; parcels arrive in 3 to 5 days.'],
  ['Return an item', 'Print the return label from your order page and drop the parcel at any post office.'],
  ['Change your delivery address', 'Before the order ships, edit the address on the order page.'],
  ['Pay with a gift card', 'Enter the gift card code at checkout, under Payment.'],
  ['Export your data', 'Settings, then Privacy, then Export: you get a zip file by email.'],
  ['Delete your account', 'Settings, then Privacy, then Delete account. This cannot be undone.'],
  ['Turn on two-factor sign-in', 'Settings, then Security: scan the code with an authenticator app.'],
  ['Invite a teammate', 'Open Team and press Invite; they get an email with a link.'],
  ['Connect your calendar', 'Open Integrations and choose Google or Outlook calendar.'],
  ['Opening hours of our support team', 'We answer Monday to Friday, 9:00 to 17:00 CET.'],
  ['Where we ship', 'We ship to every country in the European Union and to Switzerland.'],
  ['Damaged parcel', 'Send us a photo of the damage and we replace the item at no cost.'],
  ['Change your plan', 'Billing, then Plan: upgrades apply at once, downgrades next month.'],
  ['Use a discount code', 'Type the code in the basket; one code per order.'],
  ['Order history', 'All your orders are listed under Account, then Orders.'],
  ['Notification emails', 'Choose which emails you get under Settings, then Notifications.'],
  ['Mobile app', 'The app is on the App Store and Google Play; sign in with your usual account.'],
];

/** A small help center's worth of published articles (the answer bot needs more than two to be sure). */
export function makeHelpArticles(db: Db, actor: Actor) {
  return importArticles(
    db,
    actor,
    FAQ.map(([title, body]) => ({ title, body, status: 'published' as const })),
  );
}
