/** Three plain complaint topics, eight ways each: what the theme tests cluster. */
export const topics = {
  sizing: [
    'The shoes run small, I had to send them back for a bigger size',
    'Size chart is wrong, the jacket is far too small',
    'Ordered a medium but the size fits like a small',
    'Wrong size guide: the dress is too small at the waist',
    'The trousers are a size too small, the chart lied',
    'Sizes run small, the shirt does not fit at all',
    'Too small! The size on the label is not the real size',
    'Had to return the coat, the size runs small',
  ],
  late: [
    'My parcel arrived two weeks late, delivery is so slow',
    'Delivery was late again and the courier never came',
    'Late delivery, still no parcel after ten days',
    'The courier delivered my parcel a week late',
    'Slow delivery, the parcel was late for my birthday',
    'Parcel delivery late, tracking stuck for days',
    'Courier lost time, my delivery came late',
    'Why is every delivery late? The parcel took forever',
  ],
  refund: [
    'Still waiting for my refund after three weeks',
    'The refund has not reached my bank account yet',
    'Refund delayed again, where is my money back?',
    'I returned the item a month ago and got no refund',
    'My refund is still pending, nobody answers',
    'Waiting on a refund for weeks, money still missing',
    'No refund yet even though the return was received',
    'Refund promised but my money never came back',
  ],
} as const;

export type Topic = keyof typeof topics;
