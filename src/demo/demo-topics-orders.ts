import type { Topic } from './demo-topics.ts';

/** What customers write to Orders & Shipping about. Placeholders in braces are filled per ticket. */
export const orderTopics: Topic[] = [
  {
    key: 'delivery',
    weight: 22,
    team: 'orders',
    tags: ['shipping', 'delayed-delivery'],
    product: 'any',
    priority: [5, 75, 17, 3],
    threads: [
      {
        subjects: [
          'Where is my order {order}?',
          'Order {order} still not delivered',
          'Delivery was due last week',
        ],
        opening:
          'I placed order {order} nearly two weeks ago and the estimated delivery date has come and gone. The tracking page just says "label created". Could you tell me what’s going on?',
        reply:
          'Thanks for letting us know, and sorry for the wait. I’ve checked {order}: it was packed on time, but {carrier} didn’t collect it from our warehouse on the booked day, which is why the tracking never moved. I’ve rebooked it on their priority service today — new tracking number {tracking} — and I’ll check tomorrow morning that it has been scanned.',
        followUp: 'Thanks. The tracking now shows it’s on its way — is it still due this week?',
        resolution:
          'Yes — {carrier} is showing delivery for tomorrow before 6pm. I’ve added a £5 credit to your account for the wait. I’ll close this for now, but just reply here if it doesn’t turn up.',
      },
      {
        subjects: [
          'Tracking hasn’t updated in {days} days',
          'Parcel stuck in transit — it’s a gift',
          'Urgent: order {order} needed by the weekend',
        ],
        opening:
          'My tracking number {tracking} hasn’t moved for {days} days. It’s a birthday present for my sister this weekend, so I’m getting a bit worried. Is there any way to check with {carrier}?',
        reply:
          'I’m sorry — I know how stressful that is when it’s a gift. The parcel is sitting at {carrier}’s regional hub after a sorting delay. I’ve opened a trace with them today and asked them to prioritise it. If it hasn’t moved by tomorrow lunchtime, I’ll send a replacement by next-day express so it still arrives before the weekend.',
        followUp: 'Still no movement on the tracking. Could you send the replacement please?',
        resolution:
          'Done — a replacement {product} went out this afternoon by express, tracking {tracking}, due tomorrow. If the original turns up too, keep it or pass it on; there’s no need to send it back. Happy birthday to your sister!',
      },
      {
        subjects: [
          'Parcel marked delivered but not here',
          'Says delivered — nothing arrived',
          '{carrier} says delivered, but it isn’t',
        ],
        opening:
          'The {product} I ordered was supposed to arrive yesterday but nothing came and nobody knocked. The {carrier} site says "delivered" but it’s definitely not here — I’ve asked the neighbours too.',
        reply:
          'Sorry about this — a parcel marked delivered that never arrived is the worst. Could you check any safe place or side entrance, and tell me whether the photo on the {carrier} tracking page shows your door? Meanwhile I’ve raised a missing-parcel claim so we don’t lose any time.',
        followUp:
          'The photo on the tracking page isn’t my door at all! It looks like a completely different street.',
        resolution:
          'Thanks for checking — that confirms it went to the wrong address. {carrier} has accepted the claim, so I’ve sent you a replacement {product} with signature on delivery, tracking {tracking}. Sorry again for the hassle.',
      },
    ],
    notes: [
      'Trace opened with {carrier}, ref TR-{ref}. Chase on Thursday if there’s no update.',
      'Third late-delivery report this week from the same area — looks like a {carrier} depot problem. Flagged to ops.',
      'Approved an express replacement without waiting for the trace (order value under £150).',
    ],
    hold: 'I’ve opened a formal claim with {carrier}; they usually take 2–3 working days to answer. I’m putting this on hold while we wait and will update you as soon as I hear back.',
  },
  {
    key: 'damaged',
    weight: 14,
    team: 'orders',
    tags: ['damaged', 'returns'],
    product: 'fragile',
    priority: [2, 60, 33, 5],
    threads: [
      {
        subjects: ['{product} arrived cracked', 'Cracked {product} in order {order}', 'Item arrived damaged'],
        opening:
          'My {product} arrived today and it’s cracked right across the base. The box looked fine from the outside, so it must have happened before it was packed. Photos attached. Order number {order}.',
        reply:
          'I’m so sorry your {product} arrived damaged — that’s not the first impression we want to make. Thank you for the photos; they’re all I need. I’ve arranged a replacement, which ships today, and you’ll get tracking by email. No need to send the damaged one back; please recycle it carefully.',
        followUp:
          'Thank you! Will the replacement be packed differently? I’d hate for the same thing to happen.',
        resolution:
          'Good question — I’ve asked the warehouse to double-box it with extra padding and added a note to your order so they can’t miss it. It’s on its way with {carrier}, tracking {tracking}.',
      },
      {
        subjects: [
          'Broken on arrival — need it by Friday',
          '{product} arrived broken',
          'Damaged in transit — order {order}',
        ],
        opening:
          'Unfortunately part of my {product} was smashed when I opened the parcel. Really disappointed, as it was for a dinner we’re hosting on Friday.',
        reply:
          'Oh no, I’m sorry — especially with your dinner coming up. I’ve put a replacement on our next-day service so it reaches you before Friday. Could you confirm you’re home tomorrow between 9 and 5, or should the courier leave it with a neighbour?',
        followUp: 'I’m home all day tomorrow — thank you so much.',
        resolution:
          'Perfect, it’s booked for tomorrow with {carrier} (tracking {tracking}). I’ve also refunded the delivery charge as an apology. Enjoy your dinner!',
      },
      {
        subjects: ['Chipped {product}', 'Item arrived damaged', 'Replacement for a damaged {product}?'],
        opening:
          'The {product} has a big chip on one side and the box was crushed at one corner. Can I get a replacement please?',
        reply:
          'Sorry to hear that. So I can sort it quickly, could you send a photo of the damage and one of the outer box? As soon as I have them I’ll send a replacement or a full refund — whichever you prefer.',
        followUp: 'Photos attached. I’d prefer a replacement if you have one in stock.',
        resolution:
          'Thanks for the photos. A replacement {product} is on its way with {carrier}, tracking {tracking}, and I’ve logged the damage with them, so there’s nothing to send back.',
      },
    ],
    notes: [
      'Third breakage report on the {product} this month. Asked the warehouse to review packing (more paper, double box).',
      'Photos show transit damage — logging a claim with {carrier} for {amount}.',
      'Replacement order created at no charge. Customer does not need to return the damaged item.',
    ],
    hold: 'I’ve asked the warehouse to check stock for a replacement and they’ll confirm by tomorrow. I’m putting this on hold until then and will get back to you straight away.',
  },
  {
    key: 'exchange',
    weight: 10,
    team: 'orders',
    tags: ['exchange', 'sizing'],
    product: 'sized',
    priority: [20, 75, 5, 0],
    threads: [
      {
        subjects: ['Exchange for a different size', 'Wrong size — can I swap?'],
        opening:
          'I ordered the {product} in {size} but it turns out we need the {size2}. Can I exchange it? I’ve only opened the outer packaging.',
        reply:
          'Happy to help with that! I’ve reserved a {product} in {size2} for you and emailed a free returns label for the {size}. As soon as {carrier} scans your return, we’ll ship the new size — there’s no need to wait for it to reach us.',
        followUp: 'Return dropped off this morning.',
        resolution:
          'Thanks! {carrier} has scanned it, so your {product} in {size2} is on its way — tracking {tracking}. I hope it fits perfectly this time.',
      },
      {
        subjects: ['{product}: swap {size} for {size2}?', 'Exchange and pay the difference'],
        opening:
          'Is it possible to exchange my {product} ({size}) for the {size2}? Happy to pay the difference.',
        reply:
          'Of course. The {size2} costs a little more, so I’ve emailed you a secure payment link for the difference. Once that’s paid I’ll ship the new size with a returns label for the original.',
        followUp: 'I’ve just paid the difference.',
        resolution:
          'Got it, thank you — the {size2} has shipped with {carrier} (tracking {tracking}). The returns label for the {size} is in the box; drop it off any time in the next 14 days.',
      },
      {
        subjects: ['Sizing question and exchange', '{size} too small — swap for {size2}'],
        opening:
          'The {product} is lovely but the {size} is too small for the space. Could I swap it for the {size2}? Same colour if possible.',
        reply:
          'Good news: we have the {size2} in stock in the same colour. I’ve emailed a returns label for the {size}; could you confirm the delivery address is the same as on order {order}? As soon as you do, I’ll ship the new one.',
        followUp: 'Yes, same address please. Thank you!',
        resolution:
          'All done — the {product} in {size2} is on its way (tracking {tracking}). Keep the returns label handy for the {size} and send it back whenever suits you.',
      },
    ],
    notes: [
      'Advance exchange approved — ship the new size before the return arrives.',
      'The size guide for this item is confusing (third sizing ticket this month). Suggested an update to the product page.',
    ],
    hold: 'The {size2} is due back in stock on Thursday. I’ve reserved one from the incoming delivery for you and put this on hold; I’ll ship it the day it lands.',
  },
  {
    key: 'cancellation',
    weight: 8,
    team: 'orders',
    tags: ['cancellation'],
    product: 'any',
    priority: [0, 45, 45, 10],
    threads: [
      {
        subjects: ['Please cancel order {order}', 'Ordered the wrong colour — cancel?'],
        opening:
          'I placed order {order} an hour ago by mistake — I picked the wrong colour. Can you cancel it before it ships?',
        reply:
          'I caught it in time — {order} hadn’t been packed yet, so I’ve cancelled it and the full {amount} will be back on your card within 3–5 working days. You’ll get a cancellation email shortly.',
        followUp: 'Thanks so much, that was quick! I’ve placed a new order with the right colour.',
        resolution:
          'Perfect — I can see the new order, and it’s first in the queue to be packed today. Enjoy!',
      },
      {
        subjects: ['Cancel my order', 'Cancel order {order} please'],
        opening: 'Please cancel my order {order}. It turns out my partner already bought the same {product}!',
        reply:
          'I’m sorry — {order} had already been handed to {carrier} when your message came in, so I can’t stop it. When it arrives, use the free returns label in the box and we’ll refund you in full as soon as it’s back with us.',
        followUp: 'OK, I’ll send it back when it arrives. How long does the refund take after that?',
        resolution:
          'Usually 2–3 working days from when it reaches our warehouse, and then your bank may take a few more days to show it. I’ve flagged your return so it’s checked in first.',
      },
      {
        subjects: ['Wrong address on order {order}', 'Change delivery address or cancel'],
        opening:
          'I entered the wrong delivery address on {order}. Can you change it, or cancel so I can reorder?',
        reply:
          'No need to cancel — {order} hadn’t shipped yet, so I’ve updated the delivery address directly. Could you check the new address in the confirmation email I’ve just sent?',
        followUp: 'The address looks right now, thank you.',
        resolution:
          'Thanks for confirming! Your order is on its way to the right address now — tracking {tracking} with {carrier}.',
      },
    ],
    notes: [
      'Order was still in the pick queue — cancelled in the order system before packing.',
      'Already shipped; told the customer to use the returns label. No refund until it’s back.',
    ],
  },
  {
    key: 'complaint',
    weight: 6,
    team: 'orders',
    tags: ['complaint'],
    product: 'any',
    priority: [0, 30, 55, 15],
    threads: [
      {
        subjects: ['Poor quality {product}', 'Very disappointed with my order'],
        opening:
          'I’m really disappointed. The {product} looked worn after only a couple of weeks, and for the price I expected much better. This is the second time I’ve had a quality problem with your products.',
        reply:
          'I’m really sorry — that’s not the quality we stand behind, and I understand why you’re frustrated. I’ve arranged a full refund of {amount}, and I’d like to send a replacement from a newer batch at no cost so you can see the difference. Would that be all right?',
        followUp: 'OK. I’ll take the replacement and see whether it’s any better.',
        resolution:
          'Thanks for giving us another chance. The replacement shipped today (tracking {tracking}) and your refund has been processed. I’ve also passed your photos to our quality team. If anything at all isn’t right, reply here and it comes straight to me.',
      },
      {
        subjects: ['Complaint about the delivery', 'Parcel left out in the rain'],
        opening:
          'The courier left my parcel on the doorstep in the rain. The box was soaked through and the {product} is ruined. I had asked for it to be left with a neighbour.',
        reply:
          'That’s not acceptable, and I’m sorry. I’ve reported the driver to {carrier} with your delivery note, and a replacement goes out today on a signature-required service so it can’t be left outside.',
        followUp: 'Thank you for actually taking this seriously.',
        resolution:
          'Of course — you shouldn’t have had to deal with that. The replacement is due tomorrow (tracking {tracking}), and {carrier} has confirmed they’ve spoken to the driver.',
      },
      {
        subjects: ['Third time asking — no reply', 'No response to my emails about {order}'],
        opening:
          'I’ve emailed twice about order {order} and had no reply. This is really poor customer service.',
        reply:
          'I’m sorry for the silence — that’s on us: a filter on our side caught your earlier emails. I’ve taken personal ownership of order {order}. It’s with {carrier} now (tracking {tracking}) and due the day after tomorrow; I’ll check it’s delivered and confirm here.',
        followUp: 'Thanks. It arrived today, finally.',
        resolution:
          'Glad it’s arrived, and thank you for your patience. I’ve added a 15% code to your account for your next order — it’s the least we can do.',
      },
    ],
    notes: [
      'Escalating to the team lead. Second quality issue for this customer — consider a loyalty credit.',
      'Found both earlier emails in the spam quarantine; the rule was too aggressive. Reported it.',
      'Reported the driver through the {carrier} business portal, ref CPL-{ref}.',
    ],
    hold: 'I’ve escalated this to our quality team, who are inspecting the batch your {product} came from. I’m putting your ticket on hold until they report back — usually within two working days — and I’ll update you then.',
  },
];
