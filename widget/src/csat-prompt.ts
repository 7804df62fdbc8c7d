// "How would you rate the support you received?" under an ended chat: five buttons, then an optional
// comment. The server keeps the first score of a conversation and one comment.
export type CsatSend = (score: number, comment?: string) => void;

export function csatPrompt(send: CsatSend) {
  const box = document.createElement('div');
  box.className = 'csat';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', 'Rate this conversation');
  const question = document.createElement('p');
  question.textContent = 'How would you rate the support you received?';
  const row = document.createElement('div');
  row.className = 'csat-scores';
  let chosen = 0;
  for (let score = 1; score <= 5; score++) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = '★'.repeat(score);
    button.setAttribute('aria-label', `${score} of 5`);
    button.addEventListener('click', () => {
      chosen = score;
      row.remove();
      question.textContent = `You rated us ${score} of 5.`;
      send(score);
      box.append(commentForm);
    });
    row.append(button);
  }
  const commentForm = document.createElement('form');
  const comment = document.createElement('textarea');
  comment.maxLength = 2000;
  comment.setAttribute('aria-label', 'Anything you would like to add? (optional)');
  comment.placeholder = 'Anything you would like to add? (optional)';
  const submit = document.createElement('button');
  submit.type = 'submit';
  submit.textContent = 'Send';
  commentForm.append(comment, submit);
  commentForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (comment.value.trim()) send(chosen, comment.value);
    commentForm.remove();
  });
  box.append(question, row);
  return {
    element: box,
    /** The server's word on the last answer sent. */
    saved(status: string) {
      if (status === 'commented' || status === 'already_answered')
        question.textContent = 'Thank you for your feedback!';
    },
  };
}
