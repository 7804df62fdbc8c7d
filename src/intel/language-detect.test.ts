import { describe, expect, it } from 'vitest';
import { detectableLanguages, detectLanguage } from './language-detect.ts';
import { ticketLanguage } from './language-service.ts';

// Sentences written for this test, none taken from the training paragraphs.
const samples: [string, string][] = [
  ['en', 'Where is my refund? I have been waiting for two weeks now.'],
  ['en', 'The invoice is wrong'],
  ['de', 'Wo bleibt meine Rückerstattung? Ich warte seit zwei Wochen.'],
  ['de', 'Die Rechnung ist falsch'],
  ['fr', "Où est mon remboursement ? J'attends depuis deux semaines."],
  ['fr', 'La facture est fausse'],
  ['es', '¿Dónde está mi reembolso? Llevo dos semanas esperando.'],
  ['es', 'La factura está mal'],
  ['it', "Dov'è il mio rimborso? Aspetto da due settimane."],
  ['it', 'La fattura è sbagliata'],
  ['nl', 'Waar blijft mijn terugbetaling? Ik wacht al twee weken.'],
  ['nl', 'De factuur klopt niet'],
  ['pt', 'Onde está o meu reembolso? Estou à espera há duas semanas.'],
  ['pt', 'A fatura está errada'],
];

describe('language detection', () => {
  it('knows at least English, German, French, Spanish, Italian, Dutch and Portuguese', () => {
    expect(detectableLanguages).toEqual(expect.arrayContaining(['en', 'de', 'fr', 'es', 'it', 'nl', 'pt']));
  });

  it.each(samples)('reads %s in “%s”', (language, text) => {
    const guess = detectLanguage(text);
    expect(guess.language).toBe(language);
    expect(guess.confidence).toBeGreaterThan(0);
    expect(guess.confidence).toBeLessThanOrEqual(1);
  });

  it('says und for text too short to tell, and ignores quoted history', () => {
    expect(detectLanguage('ok')).toEqual({ language: 'und', confidence: 0 });
    expect(detectLanguage('12345 !!!')).toEqual({ language: 'und', confidence: 0 });
    const reply =
      'Danke, die Lieferung kam gestern Abend an.\n> On Monday you wrote: where is the parcel, please tell me';
    expect(detectLanguage(reply).language).toBe('de');
  });

  it("gives the ticket the language its customer messages show most, ignoring 'und'", () => {
    expect(
      ticketLanguage([
        { messageId: '1', language: 'und', confidence: 0 },
        { messageId: '2', language: 'fr', confidence: 0.7 },
        { messageId: '3', language: 'en', confidence: 0.2 },
      ]),
    ).toBe('fr');
    expect(ticketLanguage([])).toBe('und');
  });
});
