import type { Topic } from './demo-topics.ts';

/** What customers write to Billing about: refunds, payments, codes and account access. */
export const billingTopics: Topic[] = [
  {
    key: 'refund',
    weight: 14,
    team: 'billing',
    tags: ['refund', 'returns'],
    product: 'any',
    priority: [10, 75, 15, 0],
    threads: [
      {
        subjects: ['Returning the {product}', 'Refund request for order {order}'],
        opening:
          'I’d like to return the {product} — it’s lovely but doesn’t suit our living room after all. It’s unused and still in its packaging. How do I get a refund?',
        reply:
          'Of course — you’re well within our 30-day return window. I’ve emailed you a prepaid returns label for order {order}; print it and drop the parcel at any {carrier} point. As soon as it’s scanned in at our warehouse, we’ll refund {amount} to your original payment method.',
        followUp: 'Label received, and I dropped it off this morning. Thanks!',
        resolution:
          'Your return has arrived and passed inspection, so the refund of {amount} is on its way back to your card. You’ll get an email confirmation with the reference. Thanks for shopping with us!',
      },
      {
        subjects: ['Refund not received yet', 'When will I get my refund?'],
        opening:
          'I sent my return back two weeks ago (tracking {tracking}) but haven’t had a refund yet. Could you check please?',
        reply:
          'Thanks for your patience, and sorry it’s taken this long. Your return reached our warehouse last week but hadn’t been checked in — I’ve had it processed today and pushed the refund of {amount} through. Banks usually take 3–5 working days to show it.',
        followUp: 'It’s been five days and I still don’t see it on my statement.',
        resolution:
          'I’ve checked with our payment provider: the refund of {amount} left us with reference RF-{ref}. If your bank still can’t see it in two more days, give them that reference and they’ll be able to trace it.',
      },
      {
        subjects: ['Colour not as pictured — refund please', 'Refund request for order {order}'],
        opening:
          'The {product} isn’t what I expected from the photos — the colour is much darker. I’d like a refund rather than an exchange.',
        reply:
          'Sorry the colour wasn’t what you expected; natural dyes are hard to photograph well. I’ve set up a free return — the label is in your inbox — and we’ll refund {amount} as soon as it’s back with us.',
        followUp: 'Sent it back yesterday. Thanks for making it easy.',
        resolution:
          'It’s arrived, and your refund of {amount} has been issued. Thanks for telling us about the colour — I’ve asked the team to reshoot that product in daylight.',
      },
    ],
    notes: [
      'Return scanned at the warehouse, condition A. Refund approved.',
      'Refund issued, ref RF-{ref}. Customer asked about timing — told 3–5 working days.',
      'Outside the 30-day window by 3 days; approving anyway as goodwill (first return).',
    ],
    hold: 'I’ve asked our warehouse to confirm your return has been checked in; they do this in batches. I’m putting this on hold until they reply — usually within a working day.',
  },
  {
    key: 'double-charge',
    weight: 7,
    team: 'billing',
    tags: ['billing', 'double-charge'],
    product: 'any',
    priority: [0, 40, 50, 10],
    threads: [
      {
        subjects: ['Charged twice for order {order}', 'Duplicate charge on my card'],
        opening:
          'I’ve just checked my banking app and I’ve been charged {amount} twice for order {order}. I only placed one order. Please refund the duplicate.',
        reply:
          'Thanks for flagging this, and sorry for the worry. There’s only one order ({order}) but two captured payments of {amount}, so I’ve refunded the duplicate just now. You’ll get a confirmation email with reference RF-{ref}.',
        followUp: 'Thanks. How long until it’s back in my account?',
        resolution:
          'Usually 3–5 working days, depending on your bank. If it hasn’t shown by then, reply here with a screenshot of your statement and I’ll chase it with our payment provider.',
      },
      {
        subjects: ['Double payment after a declined card', 'Two charges of {amount}'],
        opening:
          'My card was declined at checkout so I tried again and it went through, but now I can see two payments of {amount}. Can you sort this out?',
        reply:
          'I’m sorry about the double charge — I can see what happened. Your bank authorised the first attempt even though checkout showed an error, so you have one real payment and one pending authorisation. I’ve voided the authorisation on our side; it usually drops off your statement within 3–5 working days.',
        followUp: 'The pending charge is still showing after five days.',
        resolution:
          'I’ve double-checked with our payment provider and the authorisation was released on the day you wrote in. Your bank should clear it shortly; if not within two days, the reference RF-{ref} will help them find it.',
      },
      {
        subjects: ['Duplicate charge on my statement', 'Two identical charges'],
        opening:
          'There are two identical charges from Hearth & Loom on my statement, same day. There’s only one order in my account.',
        reply:
          'Sorry about that. To find the payments quickly, could you tell me the last four digits of the card and the dates shown on your statement? Please don’t send the full card number.',
        followUp: 'Last four digits are {last4}, both charges on the same day.',
        resolution:
          'Thanks — found them. The duplicate {amount} has been refunded with reference RF-{ref}. Depending on your bank it can take up to 5 working days to show. Sorry again for the trouble.',
      },
    ],
    notes: [
      'Two captures 40 seconds apart — the known checkout retry bug (ENG-{ref}). Refunded the duplicate.',
      'Only an authorisation, not a capture. Voided it; told the customer 3–5 days.',
      'Second time this has happened to this customer — added to the checkout-retry bug report.',
    ],
    hold: 'I’ve asked our payment provider to confirm which charge to release; they answer within one working day. I’m putting this on hold in the meantime and will update you as soon as they confirm.',
  },
  {
    key: 'account',
    weight: 7,
    team: 'billing',
    tags: ['account', 'login'],
    product: 'any',
    priority: [10, 70, 20, 0],
    threads: [
      {
        subjects: ['Password reset email not arriving', 'Can’t get into my account'],
        opening:
          'I’ve tried to reset my password three times but the email never arrives. I’ve checked spam. Can you help?',
        reply:
          'Sorry you’re locked out. Our reset emails to your address are being bounced by your mail provider, so I’ve sent a fresh link from a different server just now — it’s valid for one hour. If it still doesn’t arrive, reply here and I’ll set up access another way.',
        followUp: 'Got it this time and I’m in. Thanks!',
        resolution:
          'Great, glad you’re back in. I’ve also switched on order updates by text as a backup, since your provider seems strict with our emails.',
      },
      {
        subjects: ['Reset link expired', 'Can’t log in to my account'],
        opening:
          'The site says my password is wrong, and when I reset it the link says it has expired. I just want to see my order history.',
        reply:
          'Reset links expire after an hour, which catches a lot of people out. I’ve sent a new one; please open it on the same device you requested it from and let me know if it works.',
        followUp: 'That worked, but now it says my account is locked?',
        resolution:
          'Too many attempts lock an account for 30 minutes — I’ve unlocked it for you, so you can sign in straight away with your new password.',
      },
      {
        subjects: ['Change the email on my account', 'Update my account email address'],
        opening:
          'I’ve changed email address and want to update it on my account so I get order updates. The old address no longer works.',
        reply:
          'Happy to update that. For security, could you confirm the postcode on your last order and roughly when you placed it? Once confirmed, I’ll switch the email on your account.',
        followUp: 'The postcode is the one on order {order}, and I ordered about three weeks ago.',
        resolution:
          'Thanks for confirming. Your account email is updated and order updates will go to the new address from now on.',
      },
    ],
    notes: [
      'Mail provider is rejecting our reset emails (SPF softfail). Reported to engineering.',
      'Verified identity with last order postcode and date. Email changed.',
    ],
    hold: 'Our engineers are looking into why our emails aren’t reaching your provider. I’ve put this on hold and will let you know the moment it’s fixed.',
  },
  {
    key: 'discount',
    weight: 7,
    team: 'billing',
    tags: ['discount'],
    product: 'any',
    priority: [35, 60, 5, 0],
    quick: true,
    threads: [
      {
        subjects: ['{code} says invalid', 'Discount code not working'],
        opening:
          'I’m trying to use the code {code} from your newsletter but checkout says it’s invalid. It doesn’t say it’s expired.',
        reply:
          'Sorry about that! {code} only applies to full-price items, and the {product} in your basket is already reduced, which is why checkout refused it. I’ve created a one-off code for you, THANKYOU10, which works on sale items too — it’s valid for 7 days.',
        followUp: 'That worked, thank you!',
        resolution: 'Glad it’s sorted! Enjoy your order.',
      },
      {
        subjects: ['Forgot to apply my discount', 'Apply {code} to order {order}?'],
        opening:
          'I placed order {order} and forgot to enter my discount code {code}. Could you apply it afterwards?',
        reply:
          'No problem — it happens all the time. I’ve refunded the discount on order {order} to your original payment method; you’ll see it in 3–5 working days.',
        followUp: 'Brilliant, thanks. Does the code work again on my next order?',
        resolution: 'It’s a one-use code, but a new one comes with next month’s newsletter. Happy shopping!',
      },
      {
        subjects: ['Newsletter code never arrived', 'Where is my welcome discount?'],
        opening: 'I signed up for the newsletter to get 10% off my first order but never received the code.',
        reply:
          'Sorry it didn’t arrive. I’ve resent the welcome email with your code; it’s valid for 30 days and works on everything except gift cards. It’s worth checking your promotions folder too.',
        followUp: 'Found it — but now checkout says the minimum spend isn’t met?',
        resolution:
          'The welcome code has a minimum spend of £40 — I’ve removed that for you this time, so it should go through now. Happy shopping!',
      },
    ],
    notes: [
      '{code} excludes sale items — third question this week. We should make the checkout error clearer.',
      'Applied the discount after the fact as goodwill; the order is less than 14 days old.',
    ],
  },
];
