"""The default texts of a town's legal pages: « Mentions légales », « Conditions générales de
vente et d'utilisation » and « Politique de confidentialité ». The association edits them in
Wagtail; {placeholders} are filled from its settings when the page is shown
(townmarket.legal.PLACEHOLDERS), so the same text serves every town.

Written from the texts they apply (see the README, « Pages légales »): LCEN art. 1-1
(formerly art. 6 III); Code de la consommation L111-7 (platforms), L221-5 (information
before the contract), L221-18 and L221-28 (withdrawal and its exceptions), L612-1
(mediation); Code de la santé publique L3342-1 (no alcohol sold to minors); RGPD art. 13;
loi Informatique et Libertés art. 82 (cookies). Sensible defaults, not legal advice."""

NOTICE_INTRODUCTION = ("Les informations que la loi demande à tout site professionnel de publier : qui l'édite, "
                       "qui en est responsable et qui l'héberge.")

NOTICE_BODY = [
    ("heading", "Éditeur du site"),
    ("paragraph", "<p>Le site {adresse_du_site} (« {marche} ») est édité par <b>{association}</b>, association "
                  "régie par la loi du 1er juillet 1901, numéro {numero_association}.</p>"
                  "<p>Siège : {adresse_association}<br>Téléphone : {telephone_association}<br>"
                  "E-mail : {email_association}</p>"),
    ("heading", "Directeur ou directrice de la publication"),
    ("paragraph", "<p>{directeur_publication}</p>"),
    ("heading", "Hébergeur"),
    ("paragraph", "<p>{hebergeur}<br>{adresse_hebergeur}<br>Téléphone : {telephone_hebergeur}</p>"),
    ("heading", "Les commerçants"),
    ("paragraph", "<p>Chaque commerce présenté sur le site vend ses propres articles : son nom, son adresse et son "
                  "identité légale figurent sur sa page. L'association met la place de marché à leur disposition ; "
                  "elle ne vend rien elle-même.</p>"),
    ("heading", "Signaler un contenu"),
    ("paragraph", "<p>Un contenu vous semble illicite ou erroné ? Écrivez à {email_association} en indiquant la page "
                  "concernée : l'association le vérifie et, s'il y a lieu, le retire rapidement.</p>"),
]

TERMS_INTRODUCTION = ("Ces conditions s'appliquent à toute commande passée sur le site. Elles sont acceptées en "
                      "cochant la case prévue avant de valider la commande.")

TERMS_BODY = [
    ("heading", "1. Qui fait quoi"),
    ("paragraph", "<p>Le site {adresse_du_site} est une place de marché exploitée par <b>{association}</b> "
                  "({adresse_association}, {telephone_association}, {email_association}). L'association met en "
                  "relation les clients et les commerçants de la ville : elle n'achète ni ne revend les articles.</p>"
                  "<p><b>Chaque commerçant est le vendeur</b> des articles et des prestations qu'il propose. Le contrat "
                  "de vente est conclu entre vous et lui ; une commande passée chez plusieurs commerçants forme un "
                  "contrat avec chacun d'eux. Le nom, l'adresse et l'identité légale du vendeur figurent sur la page "
                  "de chaque commerce et sur chaque article. Les commerçants sont des professionnels.</p>"
                  "<p>Les articles sont présentés par commerce, par catégorie et par prix, selon le tri que vous "
                  "choisissez ; la recherche les classe selon leur correspondance avec les mots cherchés. "
                  "L'association choisit les commerces mis en avant sur la page d'accueil ; aucun commerçant ne "
                  "paie pour être mieux classé.</p>"),
    ("heading", "2. Prix"),
    ("paragraph", "<p>Les prix sont indiqués en euros, <b>toutes taxes comprises (TTC)</b>. Les frais de livraison "
                  "éventuels sont indiqués, pour chaque commerce, avant la validation de la commande, avec le total "
                  "à payer.</p>"),
    ("heading", "3. Commande"),
    ("paragraph", "<p>Vous choisissez vos articles, puis, pour chaque commerce, le retrait en boutique ou une "
                  "livraison lorsqu'elle est proposée, et un moyen de paiement. Avant de valider, la page récapitule "
                  "les articles, les frais et le total. La commande est enregistrée quand vous cliquez sur "
                  "« Valider la commande » ; un e-mail de confirmation vous est envoyé avec son numéro et le détail "
                  "par commerce.</p>"
                  "<p>La vente de boissons alcoolisées aux mineurs est interdite : une commande qui en contient "
                  "demande de confirmer avoir 18 ans ou plus, et le commerçant peut demander une pièce d'identité au "
                  "retrait ou à la livraison.</p>"),
    ("heading", "4. Retrait, livraison et paiement"),
    ("paragraph", "<p>Selon ce que chaque commerce propose et ce qu'affiche la page de commande :</p>"
                  "<ul><li>le retrait en boutique, aux horaires indiqués ; le commerçant vous prévient quand la "
                  "commande est prête ;</li>"
                  "<li>la livraison à domicile par les tournées de l'association, ou par colis, à l'adresse et à la "
                  "date indiquées ;</li>"
                  "<li>le paiement au commerçant (au retrait ou à la livraison), par carte bancaire en ligne sur la "
                  "page sécurisée du prestataire de paiement, ou par carte cadeau du marché.</li></ul>"
                  "<p>Un article indisponible ou une commande qui ne peut être honorée vous est signalé par le "
                  "commerçant ; ce qui a été payé pour cet article est remboursé.</p>"),
    ("heading", "5. Droit de rétractation"),
    ("paragraph", "<p>Pour un achat à distance, vous disposez de <b>14 jours</b> pour vous rétracter, sans avoir à "
                  "vous justifier ni à payer de pénalité. Ce délai court à partir du jour où vous recevez ou "
                  "retirez l'article, ou, pour une prestation de service, du jour de la commande.</p>"
                  "<p>Pour l'exercer, informez le commerçant (ses coordonnées figurent sur sa page et dans l'e-mail "
                  "de confirmation), ou l'association qui transmet, par une déclaration sans ambiguïté, par exemple "
                  "avec le modèle ci-dessous. Rapportez ou renvoyez l'article dans les 14 jours suivants ; les frais "
                  "de retour sont à votre charge. Le commerçant vous rembourse toutes les sommes versées, frais de "
                  "livraison de base compris, dans les 14 jours suivant votre demande ; il peut attendre d'avoir "
                  "récupéré l'article.</p>"
                  "<p><b>Exceptions</b> : le droit de rétractation ne s'applique pas notamment :</p>"
                  "<ul><li>aux denrées et produits susceptibles de se détériorer ou de se périmer rapidement (pain, "
                  "viande, fromage, fleurs coupées, plats cuisinés…) ;</li>"
                  "<li>aux articles confectionnés selon vos indications ou nettement personnalisés ;</li>"
                  "<li>aux articles descellés après la livraison qui ne peuvent être renvoyés pour des raisons "
                  "d'hygiène ou de protection de la santé ;</li>"
                  "<li>aux prestations de services pleinement exécutées avant la fin du délai, lorsque vous avez "
                  "demandé qu'elles commencent et reconnu perdre ce droit ;</li>"
                  "<li>aux prestations de loisirs fournies à une date déterminée.</li></ul>"
                  "<p>Modèle de formulaire de rétractation (à compléter et renvoyer seulement si vous souhaitez vous "
                  "rétracter) : « À l'attention de [nom et adresse du commerçant] : je vous notifie par la présente ma "
                  "rétractation du contrat portant sur la vente du bien ou la prestation de service ci-dessous : "
                  "[article], commandé le [date] / reçu le [date], commande n° [numéro], nom du client, adresse du "
                  "client, date, signature (en cas d'envoi sur papier). »</p>"),
    ("heading", "6. Garanties, retours et réclamations"),
    ("paragraph", "<p>Chaque commerçant répond de la conformité de ses articles (garantie légale de conformité, "
                  "articles L217-3 et suivants du Code de la consommation) et de leurs vices cachés (articles 1641 "
                  "et suivants du Code civil). Un article abîmé, non conforme ou manquant : signalez-le au "
                  "commerçant, qui le reprend, l'échange ou le rembourse.</p>"
                  "<p>Pour toute réclamation, adressez-vous d'abord au commerçant ; sans réponse satisfaisante, "
                  "l'association vous aide : {telephone_association}, {email_association}, {adresse_association}.</p>"),
    ("heading", "7. Médiation"),
    ("paragraph", "<p>Si votre réclamation écrite auprès du commerçant n'a pas abouti, vous pouvez recourir "
                  "gratuitement au médiateur de la consommation : {mediateur}, {site_mediateur}.</p>"),
    ("heading", "8. Utilisation du site et compte client"),
    ("paragraph", "<p>Commander ne demande pas de compte. Si vous en créez un, gardez votre mot de passe pour vous ; "
                  "vous pouvez à tout moment télécharger vos données ou supprimer votre compte depuis « Mon compte ». "
                  "Les données personnelles sont traitées comme l'explique la politique de confidentialité.</p>"),
    ("heading", "9. Droit applicable"),
    ("paragraph", "<p>Ces conditions sont soumises au droit français. La version applicable à votre commande est "
                  "celle acceptée le jour de la commande ; sa date est enregistrée avec elle.</p>"),
]

PRIVACY_INTRODUCTION = ("Ce que le site recueille sur vous, pourquoi, pendant combien de temps, qui le voit, et "
                        "comment exercer vos droits.")

PRIVACY_BODY = [
    ("heading", "Responsable du traitement"),
    ("paragraph", "<p><b>{association}</b>, {adresse_association}, {telephone_association}, "
                  "{email_association}. Chaque commerçant est responsable, de son côté, de ce qu'il garde des "
                  "commandes passées chez lui (factures, garanties).</p>"),
    ("heading", "Ce qui est recueilli et pourquoi"),
    ("paragraph", "<ul><li><b>Votre commande</b> : nom, e-mail, téléphone, adresse de livraison s'il y en a une, "
                  "articles et montants. Pour préparer, remettre et facturer votre commande et vous en informer "
                  "(exécution du contrat).</li>"
                  "<li><b>Votre compte</b>, si vous en créez un : nom, e-mail, mot de passe (enregistré chiffré, "
                  "jamais lisible), adresses. Pour retrouver vos commandes et remplir la page de commande "
                  "(exécution du contrat).</li>"
                  "<li><b>Les cartes cadeaux</b> : le nom et l'e-mail du bénéficiaire que vous indiquez, pour lui "
                  "envoyer sa carte.</li>"
                  "<li><b>Les paiements par carte</b>, lorsqu'ils sont proposés, se font sur la page du prestataire "
                  "de paiement : le site ne reçoit jamais votre numéro de carte.</li>"
                  "<li><b>Les factures et pièces comptables</b> sont gardées parce que la loi l'impose "
                  "(obligation légale).</li>"
                  "<li><b>La sécurité</b> : les tentatives de connexion sont notées pour bloquer les essais de mots "
                  "de passe (intérêt légitime).</li></ul>"
                  "<p>Les informations marquées d'un astérisque sur la page de commande sont nécessaires : sans "
                  "elles, la commande ne peut pas être préparée ni remise.</p>"),
    ("heading", "Qui les reçoit"),
    ("paragraph", "<p>Le commerçant chez qui vous commandez reçoit ce qui concerne sa part de la commande ; les "
                  "bénévoles des tournées de livraison, votre nom, votre adresse et votre téléphone le jour de la "
                  "tournée ; l'association, pour vous aider et tenir la place de marché ; l'hébergeur du site "
                  "({hebergeur}), qui les stocke pour elle. Rien n'est vendu ni cédé à des fins publicitaires.</p>"),
    ("heading", "Combien de temps"),
    ("paragraph", "<ul><li>Les commandes et factures : 10 ans, durée de conservation des pièces comptables.</li>"
                  "<li>Le compte : jusqu'à ce que vous le supprimiez.</li>"
                  "<li>Les paniers abandonnés, les adresses des anciennes tournées et les demandes d'inscription de "
                  "commerce refusées : effacés automatiquement après la durée fixée par l'association.</li></ul>"),
    ("heading", "Vos droits"),
    ("paragraph", "<p>Vous pouvez accéder à vos données, les faire rectifier ou effacer, en limiter l'usage, vous "
                  "opposer à leur traitement et les recevoir dans un format lisible par une machine. Avec un compte, "
                  "« Mon compte » permet de <b>télécharger vos données</b> et de <b>supprimer votre compte</b> : vos "
                  "données personnelles sont alors effacées ou rendues anonymes, sauf ce que la loi oblige à garder "
                  "(les factures). Sans compte, écrivez à {email_association} ou appelez le "
                  "{telephone_association}.</p>"
                  "<p>Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la "
                  "CNIL (www.cnil.fr).</p>"),
    ("heading", "Cookies"),
    ("paragraph", "<p>Le site ne charge <b>aucun script ni cookie de tiers</b> : ni publicité, ni mesure d'audience, "
                  "ni réseau social. Il ne dépose que les cookies nécessaires à son fonctionnement : la session "
                  "(connexion), le panier, la protection des formulaires, la langue choisie et les derniers "
                  "articles consultés. Ces cookies ne demandent pas votre consentement ; c'est pourquoi le site "
                  "n'affiche pas de bandeau de cookies.</p>"),
]

# (title, slug, introduction, body)
LEGAL_PAGES = [
    ("Mentions légales", "mentions-legales", NOTICE_INTRODUCTION, NOTICE_BODY),
    ("Conditions générales de vente et d'utilisation", "conditions-generales-de-vente", TERMS_INTRODUCTION,
     TERMS_BODY),
    ("Politique de confidentialité", "confidentialite", PRIVACY_INTRODUCTION, PRIVACY_BODY),
]
