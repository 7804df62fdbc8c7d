// The answer bot's "Did this answer your question?" as two buttons under its offer. They send the same
// texts src/bot/bot-replies.ts reads (ANSWER_YES, ANSWER_NO), so a click and a typed answer are one path.
const ANSWER_YES = 'Yes, that answered my question';
const ANSWER_NO = 'No, I still need help';

export function botAnswerButtons(send: (text: string) => void): HTMLElement {
  const row = document.createElement('div');
  row.className = 'bot-answer';
  for (const [label, text] of [
    ['Yes, thanks', ANSWER_YES],
    ['No, talk to a person', ANSWER_NO],
  ] as const) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = label;
    button.addEventListener('click', () => {
      row.remove();
      send(text);
    });
    row.append(button);
  }
  return row;
}
