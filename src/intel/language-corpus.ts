// Training text for the language profiles: written for Rapport in the register of support mail
// (orders, refunds, accounts, delivery). Character trigrams of these paragraphs are the profiles.

export const languageCorpus: Record<string, string> = {
  en: `Hello, I ordered a pair of shoes last week and the parcel still has not arrived. Could you please tell me
where my order is and when it will be delivered? I have already paid for express shipping. The tracking
number does not work on the courier's website. If the package is lost, I would like a refund or a
replacement as soon as possible. Thank you for your help, and I look forward to hearing from you.
My account was charged twice for the same subscription this month. Please cancel the second payment and
send me a confirmation by email. I can't log in to my account since I changed my password yesterday.
The app shows an error every time I try to update my address. What should I do now? We are happy with the
product, but the invoice has the wrong company name on it. Can you fix this and send a new one? Thanks again
for the quick answer, it was very helpful. Have a nice day and kind regards from the whole team.
Thank you very much, the package arrived today and everything is fine. The driver left it with my neighbour.
I would like to return the jacket because it is too small. Is the return free, or do I have to pay for the
label? Our team cannot find the download link in the email you sent this morning. When will my money be back
on my card? Please call me back this afternoon, I am at home until six o'clock.`,
  de: `Hallo, ich habe letzte Woche ein Paar Schuhe bestellt und das Paket ist immer noch nicht angekommen.
Könnten Sie mir bitte sagen, wo meine Bestellung ist und wann sie geliefert wird? Ich habe bereits für den
Expressversand bezahlt. Die Sendungsnummer funktioniert auf der Webseite des Zustellers nicht. Wenn das Paket
verloren gegangen ist, möchte ich eine Rückerstattung oder einen Ersatz so schnell wie möglich. Vielen Dank
für Ihre Hilfe, ich freue mich auf Ihre Antwort. Mein Konto wurde diesen Monat zweimal für dasselbe Abonnement
belastet. Bitte stornieren Sie die zweite Zahlung und schicken Sie mir eine Bestätigung per E-Mail. Seit ich
gestern mein Passwort geändert habe, kann ich mich nicht mehr anmelden. Die App zeigt jedes Mal einen Fehler,
wenn ich meine Adresse ändern will. Was soll ich jetzt tun? Wir sind mit dem Produkt zufrieden, aber auf der
Rechnung steht der falsche Firmenname. Können Sie das korrigieren und uns eine neue schicken? Danke noch
einmal für die schnelle Antwort, das hat sehr geholfen. Schönen Tag noch und freundliche Grüße vom ganzen Team.
Vielen Dank, das Paket ist heute angekommen und alles ist in Ordnung. Der Fahrer hat es bei meinem Nachbarn
abgegeben. Ich möchte die Jacke zurückschicken, weil sie zu klein ist. Ist die Rücksendung kostenlos oder muss
ich das Etikett bezahlen? Unser Team findet den Link zum Herunterladen in der E-Mail von heute Morgen nicht.
Wann bekomme ich mein Geld auf meine Karte zurück? Bitte rufen Sie mich heute Nachmittag zurück, ich bin bis
sechs Uhr zu Hause. Das ist schon das dritte Mal, dass ich wegen dieser Sache schreibe.`,
  fr: `Bonjour, j'ai commandé une paire de chaussures la semaine dernière et le colis n'est toujours pas arrivé.
Pourriez-vous me dire où se trouve ma commande et quand elle sera livrée ? J'ai déjà payé la livraison
express. Le numéro de suivi ne fonctionne pas sur le site du transporteur. Si le colis est perdu, je voudrais
un remboursement ou un remplacement dès que possible. Merci pour votre aide, j'attends votre réponse. Mon compte
a été débité deux fois pour le même abonnement ce mois-ci. Veuillez annuler le deuxième paiement et m'envoyer
une confirmation par courriel. Je ne peux plus me connecter à mon compte depuis que j'ai changé mon mot de passe
hier. L'application affiche une erreur chaque fois que j'essaie de modifier mon adresse. Que dois-je faire
maintenant ? Nous sommes contents du produit, mais la facture porte le mauvais nom de société. Pouvez-vous la
corriger et nous en envoyer une nouvelle ? Merci encore pour la réponse rapide, elle nous a beaucoup aidés.
Bonne journée et cordialement de la part de toute l'équipe.
Merci beaucoup, le paquet est arrivé aujourd'hui et tout va bien. Le livreur l'a laissé chez mon voisin. Je
voudrais retourner la veste parce qu'elle est trop petite. Le retour est-il gratuit ou dois-je payer
l'étiquette ? Notre équipe ne trouve pas le lien de téléchargement dans le message de ce matin. Quand est-ce que
je serai remboursé sur ma carte ? Rappelez-moi cet après-midi s'il vous plaît, je suis chez moi jusqu'à six
heures. C'est déjà la troisième fois que j'écris à ce sujet.`,
  es: `Hola, la semana pasada pedí un par de zapatos y el paquete todavía no ha llegado. ¿Podrían decirme dónde
está mi pedido y cuándo lo van a entregar? Ya pagué el envío urgente. El número de seguimiento no funciona en
la página de la empresa de transporte. Si el paquete se ha perdido, quiero un reembolso o un cambio lo antes
posible. Gracias por su ayuda, quedo a la espera de su respuesta. Este mes me han cobrado dos veces la misma
suscripción en mi cuenta. Por favor, cancelen el segundo pago y envíenme una confirmación por correo. No puedo
entrar en mi cuenta desde que cambié la contraseña ayer. La aplicación muestra un error cada vez que intento
cambiar mi dirección. ¿Qué tengo que hacer ahora? Estamos contentos con el producto, pero la factura tiene el
nombre de la empresa equivocado. ¿Pueden corregirla y enviarnos una nueva? Gracias otra vez por la respuesta
tan rápida, nos ha ayudado mucho. Que tengan un buen día y un saludo cordial de todo el equipo.
Muchas gracias, el paquete ha llegado hoy y todo está bien. El repartidor lo dejó con mi vecino. Quiero
devolver la chaqueta porque me queda pequeña. ¿La devolución es gratis o tengo que pagar la etiqueta? Nuestro
equipo no encuentra el enlace de descarga en el correo de esta mañana. ¿Cuándo me devolverán el dinero en la
tarjeta? Por favor, llámenme esta tarde, estoy en casa hasta las seis. Es la tercera vez que escribo por este
problema y nadie me contesta.`,
  it: `Buongiorno, la settimana scorsa ho ordinato un paio di scarpe e il pacco non è ancora arrivato. Potreste
dirmi dove si trova il mio ordine e quando verrà consegnato? Ho già pagato la spedizione espressa. Il numero
di tracciamento non funziona sul sito del corriere. Se il pacco è andato perso, vorrei un rimborso o una
sostituzione il prima possibile. Grazie per il vostro aiuto, resto in attesa di una risposta. Questo mese il
mio conto è stato addebitato due volte per lo stesso abbonamento. Vi prego di annullare il secondo pagamento e
di inviarmi una conferma per email. Non riesco più ad accedere al mio account da quando ieri ho cambiato la
password. L'applicazione mostra un errore ogni volta che provo a modificare il mio indirizzo. Che cosa devo
fare adesso? Siamo contenti del prodotto, ma sulla fattura c'è il nome sbagliato della società. Potete
correggerla e mandarcene una nuova? Grazie ancora per la risposta veloce, ci è stata molto utile. Buona
giornata e cordiali saluti da tutta la squadra.
Grazie mille, il pacco è arrivato oggi e va tutto bene. Il corriere l'ha lasciato al mio vicino. Vorrei
restituire la giacca perché è troppo piccola. Il reso è gratuito o devo pagare l'etichetta? Il nostro gruppo
non trova il link per scaricare nella mail di stamattina. Quando mi verranno restituiti i soldi sulla carta?
Per favore richiamatemi questo pomeriggio, sono a casa fino alle sei. È già la terza volta che scrivo per
questo problema e nessuno mi risponde.`,
  nl: `Hallo, ik heb vorige week een paar schoenen besteld en het pakket is nog steeds niet aangekomen. Kunt u mij
vertellen waar mijn bestelling is en wanneer die wordt bezorgd? Ik heb al betaald voor snelle verzending. Het
trackingnummer werkt niet op de website van de bezorger. Als het pakket kwijt is, wil ik graag mijn geld terug
of een vervanging zo snel mogelijk. Bedankt voor uw hulp, ik hoor graag van u. Mijn rekening is deze maand
twee keer belast voor hetzelfde abonnement. Wilt u de tweede betaling annuleren en mij een bevestiging per
e-mail sturen? Sinds ik gisteren mijn wachtwoord heb gewijzigd, kan ik niet meer inloggen. De app geeft elke
keer een foutmelding als ik mijn adres wil aanpassen. Wat moet ik nu doen? We zijn tevreden over het product,
maar op de factuur staat de verkeerde bedrijfsnaam. Kunt u dat aanpassen en ons een nieuwe sturen? Nogmaals
bedankt voor het snelle antwoord, het heeft ons erg geholpen. Fijne dag en vriendelijke groeten van het hele team.
Hartelijk dank, het pakket is vandaag aangekomen en alles is in orde. De bezorger heeft het bij mijn buren
afgegeven. Ik wil de jas terugsturen omdat hij te klein is. Is het retourneren gratis of moet ik voor het
label betalen? Ons team kan de downloadlink in de mail van vanochtend niet vinden. Wanneer krijg ik mijn geld
terug op mijn kaart? Wilt u mij vanmiddag terugbellen, ik ben tot zes uur thuis. Dit is al de derde keer dat
ik hierover schrijf en niemand reageert.`,
  pt: `Olá, na semana passada encomendei um par de sapatos e a encomenda ainda não chegou. Podem dizer-me onde está
o meu pedido e quando vai ser entregue? Já paguei o envio expresso. O número de rastreamento não funciona no
site da transportadora. Se a encomenda se perdeu, gostaria de um reembolso ou de uma substituição o mais
rápido possível. Obrigado pela vossa ajuda, fico a aguardar a vossa resposta. A minha conta foi cobrada duas
vezes pela mesma assinatura este mês. Por favor, cancelem o segundo pagamento e enviem-me uma confirmação por
email. Não consigo entrar na minha conta desde que mudei a senha ontem. O aplicativo mostra um erro sempre que
tento alterar o meu endereço. O que devo fazer agora? Estamos satisfeitos com o produto, mas a fatura tem o
nome da empresa errado. Podem corrigir e enviar-nos uma nova? Obrigado mais uma vez pela resposta rápida, ajudou
muito. Tenham um bom dia e cumprimentos de toda a equipa.
Muito obrigado, a encomenda chegou hoje e está tudo bem. O estafeta deixou-a com o meu vizinho. Quero devolver
o casaco porque é demasiado pequeno. A devolução é gratuita ou tenho de pagar a etiqueta? A nossa equipa não
encontra o link para descarregar no email desta manhã. Quando é que o dinheiro volta para o meu cartão? Por
favor, liguem-me esta tarde, estou em casa até às seis. Já é a terceira vez que escrevo sobre este problema e
ninguém responde.`,
};
