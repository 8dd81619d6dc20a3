# Client terminal Dais : français.
# Chaque ligne doit tenir dans un terminal de 80 colonnes.

## Panneaux

pane-rooms = Salles
rooms-none = Aucune salle
rooms-unread = { $count }
rooms-more = +{ $count } autres · F9
pane-participants = Participants
members-online = { $online } en ligne sur { $count }
members-guests = { $count ->
    [one] { $count } invité
   *[other] { $count } invités
}
members-more = { $count } de plus…
members-loading = Chargement…
members-more-below = ↓ { $count } de plus · { $key }
pane-floor = Parole · { $mode }
pane-floor-empty = Parole
pane-transcript = { $room }
pane-transcript-empty = Débats
transcript-no-room = Vous n'êtes dans aucune salle. F9 pour en choisir une.
transcript-connecting = Connexion à { $server }…
transcript-failed = { $server } ne vous a pas admis : { $error }. Vérifiez votre fichier de jeton (--token-file) ou votre nom d'invité, puis relancez dais. Ctrl+Q pour quitter.
transcript-new = nouveau
transcript-new-below = { $count } nouveaux ↓ Fin
transcript-loading = Chargement des débats antérieurs…
transcript-more = PgUp pour les débats antérieurs
transcript-start = Début du compte rendu
echo-sending = envoi…
echo-failed = non envoyé

## Modes

mode-speakers-list = Liste des orateurs
mode-round-robin = Tour de table
mode-open = Discussion libre
mode-suspended = Séance suspendue
mode-short-speakers-list = liste
mode-short-round-robin = tour
mode-short-open = libre
mode-short-suspended = susp.

## Groupes de parties prenantes

stakeholder-government = Gouvernements
stakeholder-private-sector = Secteur privé
stakeholder-technical-community = Communauté technique
stakeholder-civil-society = Société civile
stakeholder-academia = Milieu universitaire
stakeholder-intergovernmental = Intergouvernemental
badge-government = GOUV
badge-private-sector = PRIV
badge-technical-community = TECH
badge-civil-society = SC
badge-academia = UNIV
badge-intergovernmental = OIG
badge-guest = [invité]
name-guest = { $name } [invité]

## Rôles

role-delegate = Délégué
role-moderator = Présidence
role-interpreter = Interprète
role-observer = Observateur

## Parole et liste des orateurs

class-reply = (réponse)
class-clarifying = (question)
floor-paused = Chrono en pause
floor-stopped-offline = Chrono arrêté hors ligne
floor-free = La parole est libre
floor-limit = Temps de parole : { $time }
floor-you-spoke = Votre temps de parole : { $time }
floor-hint-request = F2 pour demander la parole
queue-title = Orateurs inscrits : { $count }
queue-closed = (close)
queue-empty = Personne n'attend
queue-you = vous
round-status = { $count ->
    [one] Tour { $round } : encore { $count } orateur
   *[other] Tour { $round } : encore { $count } orateurs
}
points-title = { $count ->
    [one] { $count } motion d'ordre
   *[other] { $count } motions d'ordre
}

## Débats

ev-announcement = Communication de la présidence ({ $who })
ev-point-of-order = Motion d'ordre : { $who }
ev-ruling = { $upheld ->
    [yes] Décision de { $who } : motion acceptée
    [no] Décision de { $who } : motion rejetée
   *[none] Décision de { $who }
}
ev-floor-granted = La parole est à { $who } ({ $name })
ev-floor-granted-reply = Droit de réponse : { $who } ({ $name })
ev-floor-granted-clarifying = Question de précision : { $who } ({ $name })
ev-floor-granted-one = La parole est à { $who }
ev-floor-granted-reply-one = Droit de réponse : { $who }
ev-floor-granted-clarifying-one = Question de précision : { $who }
ev-out-of-order = hors tour
ev-turn-ended = { $who } a terminé : { $reason }, { $time }
ev-floor-requested = { $who } demande la parole
ev-reply-requested = { $who } demande un droit de réponse
ev-reply-requested-to = { $who } demande un droit de réponse à { $author } ({ $time }) : « { $quote } »
ev-clarifying-requested = { $who } a une question de précision
ev-floor-withdrawn = { $who } s'est retiré de la liste
ev-clock-paused = { $who } a mis le chrono en pause
ev-clock-resumed = { $who } a relancé le chrono
ev-mode-changed = { $who } a choisi le mode : { $mode }
ev-time-limit = { $who } a fixé le temps de parole : { $time }
ev-queue-reordered = { $who } a modifié l'ordre des orateurs
ev-queue-cleared = { $who } a vidé la liste des orateurs
ev-list-closed = { $who } a clos la liste des orateurs
ev-list-opened = { $who } a rouvert la liste des orateurs
ev-round-started = { $count ->
    [one] { $who } ouvre le tour { $round } : { $count } orateur
   *[other] { $who } ouvre le tour { $round } : { $count } orateurs
}
ev-round-ended = Le tour { $round } est terminé
ev-poll-opened = Vote ouvert par { $who }
ev-poll-closed = Vote clos. Résultats :
poll-votes = { $count ->
    [one] { $count } voix
   *[other] { $count } voix
}
ev-muted = { $who } a été réduit au silence
ev-unmuted = { $who } peut de nouveau parler
ev-removed = { $who } a été exclu de la salle
ev-room-created = { $who } a ouvert cette salle
ev-room-locked = { $who } a verrouillé la salle
ev-room-unlocked = { $who } a déverrouillé la salle
ev-room-closed = { $who } a fermé la salle
ev-service-restored = Reprise après { $cause ->
        [failover] une panne de serveur ({ $node } a repris la salle)
        [handover] un changement de serveur prévu ({ $node } a repris la salle)
       *[restart] un redémarrage du serveur
    } ; la salle a été interrompue pendant { $down }
ev-service-restored-paused = Le chrono de l'orateur a été arrêté avec { $remaining } restantes, sans perte de temps ; la présidence le relance

reason-yielded = a cédé la parole
reason-yielded-to = a cédé le reste
reason-passed = a passé son tour
reason-revoked = parole retirée
reason-time-expired = temps écoulé
reason-next-called = la présidence est passée à la suite
reason-superseded = la présidence a donné la parole
reason-holder-left = a quitté la salle
reason-mode-changed = changement de mode

interpretation-shown = Interprétation (original en { $lang }) ; t pour l'original
interpretation-original = Original ; t pour l'interprétation

poll-banner = Vote : { $question }
poll-hint = F6 pour voter
poll-count = { $number } { $option } : { $count }
poll-result = { $option } : { $votes }
poll-voted = votre délégation a voté (F6 pour changer)
poll-option-support = Pour
poll-option-object = Contre
poll-option-abstain = Abstention

## Barre d'état

status-online = Connecté
status-online-at = Connecté à { $server }
status-connecting = Connexion à { $server } (essai { $attempt })…
status-offline = { $seconds ->
    [one] Hors ligne ({ $server }), nouvel essai dans { $seconds } seconde
   *[other] Hors ligne ({ $server }), nouvel essai dans { $seconds } secondes
}
status-busy = { $seconds ->
    [one] { $server } est saturé (trop de connexions), nouvel essai dans { $seconds } seconde
   *[other] { $server } est saturé (trop de connexions), nouvel essai dans { $seconds } secondes
}
status-unsent = { $count ->
    [one] { $count } message en attente d'envoi
   *[other] { $count } messages en attente d'envoi
}
status-hint = F1 aide · Ctrl+P actions

## Saisie

input-title = Message · Entrée envoie · Alt+Entrée nouvelle ligne
input-title-unfocused = Message · tapez, ou Échap, pour écrire
input-placeholder = Tapez pour écrire un message

## Fenêtres

palette-title = Actions
prompt-title = Entrée pour valider · Échap pour annuler
reorder-title = Modifier l'ordre des orateurs
reorder-hint = Maj+↑↓ ou +/- déplacent · Entrée enregistre
help-title = Aide · Échap pour fermer
help-title-position = Aide · { $from }–{ $to } sur { $count } · ↑↓ PgUp PgDn · Échap
search-title = Chercher dans le compte rendu
search-hint = Tapez les mots à trouver · ↑ plus ancien · ↓ plus récent · Entrée
search-status = Résultat { $at } sur { $count } · ↑ plus ancien · ↓ plus récent · Entrée
search-none = Aucun résultat
help-section-keys = Écrire et lire
help-send = Envoyer le message
help-newline = Nouvelle ligne dans le message
help-history = Rappeler ce que vous avez envoyé
help-complete = Compléter un nom ou une /commande
help-end = Revenir au message le plus récent
help-focus = Quitter la saisie pour le compte rendu
help-select = Choisir un message
help-scroll = Faire défiler les débats
help-top-bottom = Début et fin des débats
help-scroll-members = Faire défiler les participants
help-section-proceedings = Dans le compte rendu
help-message-actions = Que faire du message choisi
help-back = Revenir à la saisie (ou tapez)
help-slash = Commandes : /next, /announce texte…
help-section-delegate = Délégués
help-section-chair = Présidence
help-letters = Les lettres sont toujours du texte, jamais des actions : touches ci-dessus, Ctrl+P ou /commande.
too-small = La fenêtre fait { $current }. Dais demande au moins { $needed } : agrandissez-la.

pick-room = Choisir une salle
pick-language = Langue de l'interface
pick-point = Quelle motion d'ordre ?
pick-point-all = Toutes les motions en attente à la fois
pick-vote = Votre vote
pick-mode = Mode de la salle
pick-participant = Choisir un participant
pick-speak = Langue de vos messages
pick-speak-auto = D'après le texte
pick-interpret-into = Interpréter vers
pick-message-action = Ce message
action-reply = Demander un droit de réponse
action-interpret = L'interpréter
action-original = Original ou interprétation
pick-upheld = La motion est-elle acceptée ?
confirm-title = Confirmer ?
confirm-keys = o : oui · toute autre touche : non
# Lettres qui répondent oui, en plus de y.
confirm-yes-letters = oO
confirm-yield = Céder la parole maintenant ?
confirm-yield-to = Céder le reste de votre temps à { $who } ?
confirm-pass = Passer votre tour ?
confirm-withdraw = Vous retirer de la liste des orateurs ? Vous êtes numéro { $place }.
confirm-next = Mettre fin au tour de { $who } et donner la parole à l'orateur suivant ?
confirm-revoke = Retirer la parole à { $who } ?
confirm-round = Ouvrir un tour de table ?
confirm-round-cut = Ouvrir un tour de table ? { $who } perd la parole.
confirm-clear-queue = Vider la liste des orateurs ? En attente : { $count }.
confirm-close-poll = Clore le vote « { $question } » ?
confirm-remove = Exclure { $who } de la salle ?
confirm-close-room = Fermer la salle { $room } ?
ruling-upheld = Acceptée
ruling-rejected = Rejetée
ruling-no-decision = Sans décision

prompt-point-of-order = Votre motion d'ordre (facultatif) :
prompt-interpret = Interprétation du message choisi :
prompt-interpret-into = Interprétation en { $lang } de :
prompt-announce = Communication à la salle :
prompt-time-limit = Temps de parole (90, 1:30 ou 2m) :
prompt-poll-question = Question soumise au vote :
prompt-poll-options = Options séparées par ; (vide : pour ; contre ; abstention)
prompt-ruling = Votre décision sur la motion d'ordre :
prompt-room-id = Identifiant de la nouvelle salle (ex. cyber-security) :
prompt-room-title = Titre de la nouvelle salle :

## Vue de l’équité (Ctrl+T, /fairness) : les chiffres d’équité de la salle.

fairness-title = Équité · { $room } · { $window }
fairness-keys = Échap ferme · Entrée actualise · Tab : { $next } · ↑↓ PgUp PgDn
fairness-position = { $from }–{ $to } sur { $count }
fairness-window-whole = tout le compte rendu
fairness-window-last = dernières { $minutes } min
fairness-bad-window = Période illisible : { $window }. Écrivez /fairness, /fairness 15m ou /fairness 1h
fairness-loading = Demande des chiffres au serveur…
fairness-offline = Hors ligne : les chiffres viendront au retour de la connexion.
fairness-refreshing = actualisation…
fairness-summary = Compte rendu jusqu’à l’événement { $seq } · à { $time }
fairness-totals = Tours de parole : { $turns } · Temps de parole : { $time } · Délégations présentes : { $count }
fairness-gini = Coefficient de Gini : { $gini } (0 : égalité, 1 : une seule voix)
fairness-spread = Écart de représentation : { $spread } (ratio le plus haut sur le plus bas ; 1 : égal)
fairness-requests = Demandes de parole : { $made } · servies { $served } · retirées { $withdrawn } · jamais servies { $unserved }
fairness-counts = Atteintes à la préséance : { $violations } · Interventions de la présidence : { $interventions } (Fin : les voir)
fairness-percent = { $value } %
fairness-groups = Temps de parole par groupe de parties prenantes
fairness-legend = █ part du temps de parole · ┃ part des délégations présentes · Ratio : █ sur ┃
fairness-waits = Attente entre la demande et la parole, par groupe
fairness-delegations = Temps de parole par délégation (┃ une part égale)
fairness-violations = Atteintes à la préséance : { $count }
fairness-no-violations = Personne n’a parlé deux fois pendant qu’un autre attendait son premier tour.
fairness-interventions = Interventions de la présidence : { $count }
fairness-intervention = { $kind } : { $who } (par { $by }) — { $reason }
fairness-intervention-nobody = { $kind } (par { $by }) — { $reason }
fairness-no-reason = sans motif donné
fairness-none = Aucune.
fairness-undefined = non défini
fairness-col-group = Groupe
fairness-col-delegation = Délégation
fairness-col-turns = Tours
fairness-col-time = Temps
fairness-col-share = Part du temps de parole
fairness-col-spoke = Parole
fairness-col-present = Présents
fairness-col-ratio = Ratio
fairness-col-asked = Demandes
fairness-col-served = Servies
fairness-col-withdrawn = Retirées
fairness-col-unserved = Jamais servies
fairness-col-median = Médiane
fairness-col-p90 = 90e cent.
fairness-line-title = Chiffres d’équité de { $room }, { $window }, jusqu’à l’événement { $seq } :
fairness-line-group = { $group } : tours { $turns }, temps de parole { $time } ({ $share } ; délégations présentes { $presence } ; ratio { $ratio }). Attente de la parole : médiane { $median }, 90e centile { $p90 }. Jamais servies : { $unserved }.
fairness-line-delegation = { $delegation } ({ $group }) : tours { $turns }, temps de parole { $time } ({ $share }) ; attente médiane { $median }.


## Avis

notice-queued-offline = Hors ligne : envoi au retour de la connexion
notice-not-sent = { $count ->
    [one] { $count } demande n'a pas pu être envoyée à temps
   *[other] { $count } demandes n'ont pas pu être envoyées à temps
}
notice-vote-counted = Votre vote a été compté
notice-removed = Vous avez été exclu de cette salle
notice-muted = Vous avez été réduit au silence dans cette salle
notice-unmuted = Vous pouvez de nouveau parler
notice-your-floor = Vous avez la parole
notice-ten-seconds = Plus que 10 secondes
notice-next-in-line = Vous êtes le prochain orateur
notice-unknown-command = Commande inconnue : /{ $name }
notice-no-room = Vous n'êtes dans aucune salle
notice-select-message = Choisissez d'abord un message : Échap, ↑ ↓, puis Entrée
notice-no-points = Aucune motion d'ordre en attente
notice-no-poll = Aucun vote n'est ouvert
notice-nobody = Personne à choisir
notice-queue-short = La liste compte moins de deux orateurs
notice-bad-time = Durée illisible : écrivez 90, 1:30 ou 2m
notice-interpret-own = Vous ne pouvez interpréter que vos propres messages
notice-not-done = Rien n'a été fait
notice-speak-auto = La langue de chaque message est reconnue d'après son texte
notice-speak-lang = Vos messages sont désormais en { $lang } (/lang auto pour annuler)
notice-bad-lang = Ce n'est pas un code de langue : { $lang }
notice-no-action = Rien à faire avec ce message
notify-title = Dais
## Mode ligne (dais --line) : une ligne par événement, pour les lecteurs d'écran.
line-connected = Connecté à { $server } en tant que { $who } ({ $role }). /help donne les commandes.
line-offline = Hors ligne ({ $server }) ; nouvel essai.
line-room = Salle : { $room } ({ $mode }).
line-floor = { $who } a la parole, reste { $time }.
line-speech = { $who } ({ $lang }) : { $text }
line-alert = Attention : { $text }
line-vote-hint = Votez avec /vote et le numéro d'une option.
line-pick = Répondez par un numéro, ou une ligne vide pour annuler :
line-prompt = Répondez, ou une ligne vide pour annuler :
line-commands = Commandes : { $commands }

## Actions (palette, aide, touches)

cmd-help = Aide
cmd-palette = Actions
cmd-quit = Quitter
cmd-next-room = Salle suivante
cmd-prev-room = Salle précédente
cmd-rooms = Choisir une salle
cmd-language = Langue de l'interface
cmd-focus = Basculer saisie / débats
cmd-original = Original ou interprétation
cmd-request-floor = Demander la parole
cmd-clarify = Poser une question de précision
cmd-withdraw = Se retirer de la liste
cmd-yield = Céder la parole
cmd-yield-to = Céder le reste à un délégué
cmd-pass = Passer son tour
cmd-point-of-order = Motion d'ordre
cmd-reply = Droit de réponse au message choisi
cmd-vote = Voter
cmd-interpret = Interpréter le message choisi
cmd-next = Orateur suivant
cmd-grant = Donner la parole à…
cmd-revoke = Retirer la parole
cmd-pause = Mettre le chrono en pause
cmd-resume = Relancer le chrono
cmd-mode = Choisir le mode
cmd-time-limit = Fixer le temps de parole
cmd-reorder = Modifier l'ordre des orateurs
cmd-clear-queue = Vider la liste des orateurs
cmd-round = Ouvrir un tour de table
cmd-rule = Statuer sur une motion d'ordre
cmd-close-list = Clore la liste des orateurs
cmd-open-list = Rouvrir la liste des orateurs
cmd-poll = Ouvrir un vote
cmd-close-poll = Clore le vote
cmd-mute = Réduire au silence
cmd-unmute = Rendre la parole
cmd-remove = Exclure un participant
cmd-announce = Faire une communication
cmd-new-room = Créer une salle
cmd-lock = Verrouiller la salle
cmd-unlock = Déverrouiller la salle
cmd-close-room = Fermer la salle
cmd-search = Chercher dans le compte rendu
cmd-lang = Langue de vos messages
cmd-fairness = Chiffres d’équité
lang-en = anglais
lang-fr = français
lang-es = espagnol
lang-ru = russe
lang-zh = chinois
lang-ar = arabe
lang-he = hébreu
lang-pt = portugais
lang-de = allemand

## Erreurs du serveur

error-unknown = Le serveur a refusé : { $code }
error-config = Fichier de configuration illisible : { $detail }
error-no-token = Aucun jeton. Utilisez --token-file FICHIER, DAIS_TOKEN, token_file = "…" dans { $path }, ou --guest NOM.
error-ca = Fichier d’autorité de certification { $path } inutilisable : { $detail }
error-no-roots = Aucune autorité de certification sur ce système. Utilisez --ca FICHIER.
error-tls = Impossible de préparer TLS : { $detail }
error-token-file = Fichier de jeton { $path } illisible : { $detail }
error-token-file-empty = Le fichier de jeton { $path } est vide
warning-token-file-readable = D’autres peuvent lire le fichier de jeton { $path } (mode { $mode }) : faites chmod 600 dessus
error-unauthenticated = Pas encore identifié
error-already-authenticated = Déjà identifié
error-unsupported-protocol = Ce client est trop ancien ou trop récent pour le serveur
error-invalid-token = Le jeton n'est pas valable
error-guests-not-allowed = Ce serveur n'admet pas d'invités
error-invalid-guest-name = Ce nom d'invité n'est pas admis
error-guest-name-reserved = Ce nom est réservé : choisissez un autre nom d'invité
error-login-throttled = Trop d'échecs de connexion depuis cette adresse : patientez, puis réessayez
error-malformed-json = Le serveur n'a pas pu lire une requête
error-not-an-object = Le serveur n'a pas pu lire une requête
error-missing-type = Le serveur n'a pas pu lire une requête
error-unknown-type = Le serveur ne connaît pas cette requête
error-missing-field = Il manquait un champ à une requête
error-unknown-field = Une requête avait un champ inconnu
error-duplicate-field = Une requête contenait deux fois le même champ
error-invalid-field = Une requête avait une valeur erronée
error-binary-not-supported = Le serveur n'accepte que du texte
error-text-too-long = Le texte est trop long
error-empty-text = Le texte est vide
error-invalid-text = Le texte contient des caractères non admis
error-invalid-language = Cette étiquette de langue n'est pas valable
error-rate-limited = Trop rapide : patientez un instant
error-unknown-room = Cette salle n'existe pas
error-room-closed = La salle est fermée
error-room-locked = La salle est verrouillée
error-room-exists = Une salle porte déjà cet identifiant
error-invalid-room = Cet identifiant de salle n'est pas valable
error-too-many-rooms = Le serveur a déjà son nombre maximal de salles
error-replay-in-progress = Rattrapage de la salle en cours : réessayez dans un instant
error-not-joined = Vous n'êtes pas dans cette salle
error-removed = Vous avez été exclu de cette salle
error-muted = Vous êtes réduit au silence dans cette salle
error-forbidden = Votre rôle ne le permet pas
error-not-your-turn = Vous n'avez pas la parole
error-floor-free = Personne n'a la parole
error-not-floor-holder = Seul l'orateur peut le faire
error-already-has-floor = Vous avez déjà la parole
error-cannot-hold-floor = Ce participant ne peut pas prendre la parole
error-already-in-queue = Vous êtes déjà inscrit
error-not-in-queue = Vous n'êtes pas inscrit
error-list-closed = La liste des orateurs est close
error-queue-empty = La liste des orateurs est vide
error-stale-turn = Ce tour de parole est déjà terminé
error-not-a-member = Ce participant n'est pas dans la salle
error-invalid-order = Le nouvel ordre doit citer tous les inscrits
error-round-in-progress = Un tour de table est en cours
error-clock-paused = Le chrono est en pause
error-clock-running = Le chrono tourne
error-invalid-time-limit = Ce temps de parole n'est pas admis
error-unknown-event = Ce message n'existe pas
error-unknown-point = Cette motion d'ordre n'existe pas
error-too-many-points = Trop de motions d'ordre en attente
error-no-open-poll = Aucun vote n'est ouvert
error-poll-already-open = Un vote est déjà ouvert
error-invalid-option = Cette option n'existe pas
error-invalid-poll = Le vote demande une question et des options
error-no-delegation = Vous ne votez pour aucune délégation
error-store-failed = Le serveur n'a pas pu l'enregistrer
error-unavailable = Le serveur qui tient ce salon est injoignable pour l'instant ; réessayez dans un moment
error-internal = Erreur interne du serveur

## Command line (--help)

cli-about = Le client terminal de Dais : dialogue modéré en six langues
cli-usage = Utilisation :
cli-options = Options :
cli-options-placeholder = OPTIONS
cli-help = Afficher cette aide
cli-version = Afficher la version
cli-server = Adresse du serveur, ws:// ou wss:// (DAIS_SERVER)
cli-token-file = Lire votre jeton dans ce fichier (recommandé ; chmod 600)
cli-token = Votre jeton de participant (DAIS_TOKEN) ; visible dans ps et l’historique du shell : préférez --token-file
cli-guest = Entrer comme invité sous ce nom, si le serveur admet des invités
cli-lang = Langue de l’interface : en, fr, es, ru, zh-CN, ar
cli-bidi = Qui ordonne l’arabe et l’hébreu : app, terminal, off
cli-room = La salle à ouvrir en premier
cli-speak = Langue de vos interventions (défaut : l’interface)
cli-config = Le fichier de configuration (DAIS_CONFIG)
cli-ca = Pour wss://, seule AC de confiance (PEM) (DAIS_CA)
cli-line = Mode ligne pour lecteurs d'écran (par défaut si TERM=dumb ou hors d'un terminal)
cli-quiet-clock = N'afficher le temps restant qu'à certains seuils, pas chaque seconde
cli-no-mouse = Laisser la souris au terminal
cli-value-address = ADRESSE
cli-value-token = JETON
cli-value-lang = LANGUE
cli-value-who = MODE
cli-value-room = SALLE
cli-value-file = FICHIER
cli-value-name = NOM

## Mistakes on the command line

cli-error-unknown-argument = Argument inconnu : { $arg }
cli-error-did-you-mean = Vouliez-vous dire { $suggestion } ?
cli-error-value-required = Valeur manquante pour { $arg }
cli-error-no-equals = Donnez la valeur de { $arg } après un signe égal (=)
cli-error-invalid-value = Valeur non valide pour { $arg } : { $value }
cli-error-possible-values = Valeurs possibles : { $values }
cli-error-unexpected-value = L’option { $arg } n’accepte pas de valeur, mais a reçu : { $value }
cli-error-repeated = L’option { $arg } ne peut être donnée qu’une fois
cli-error-conflict = { $arg } ne peut pas être utilisé avec { $other }
cli-error-missing-required = Arguments obligatoires manquants : { $args }
cli-error-invalid-utf8 = Un argument n’est pas du texte UTF-8 valide
cli-error-other = La ligne de commande n’est pas valide
cli-error-try-help = Pour en savoir plus, lancez { $command }
cli-error-list-separator = {", "}

## Public pages and the record's export (dais-server). These messages are
## the server's: they stay together at the end of the file.

web-title = Dais : compte rendu public des séances
web-rooms = Salles publiques
web-rooms-none = Aucune salle n’est publique pour le moment.
web-record = Compte rendu des séances
web-fairness = Indicateurs d’équité
web-language = Langue
web-live = Les nouvelles interventions s’affichent ici au fil de la séance.
web-no-events = Rien n’a encore été consigné.
web-a-guest = un invité
web-an-observer = un observateur
web-speaker = { $name } ({ $delegation })
web-spoke-in = (parle en { $lang })
web-original = Original ({ $lang })
web-interpretation = Interprétation ({ $lang })
web-back = Toutes les salles publiques
web-chart-groups = Part du temps de parole et part des délégations présentes, par groupe de parties prenantes
web-chart-delegations = Temps de parole par délégation
ev-room-published = { $who } a rendu public le compte rendu de cette salle
ev-room-unpublished = { $who } a retiré du public le compte rendu de cette salle
ev-vote-cast = { $who } a voté
ev-interpretation = Interprétation en { $lang } par { $who }
export-title = Compte rendu des séances : { $room }
export-room = Salle { $id }.
export-exported = Exporté le { $time }. Événements : { $count }.
export-proceedings = Séances
export-polls = Consultations
export-no-polls = Aucune consultation n’a été close.
export-votes = Votes par délégation : { $votes }
export-speaking-time = Temps de parole
export-total = Total : { $time }
export-time = Durée
export-none = (aucune)
export-reason = motif : { $reason }
export-given-by = donnée par { $who }
export-fairness = Équité
fair-summary = Tours de parole : { $turns }. Temps de parole : { $time }. Délégations présentes : { $count }.
fair-whole-record = Sur l’ensemble du compte rendu.
fair-window = Du { $from } au { $to }.
fair-gini = Coefficient de Gini du temps de parole
fair-spread = Écart de représentation (le plus haut sur le plus bas)
fair-group = Groupe de parties prenantes
fair-delegation = Délégation
fair-turns = Tours
fair-speaking = Temps de parole
fair-share = Part du temps de parole
fair-presence = Part des délégations présentes
fair-representation = Représentation
fair-present = Délégations présentes
fair-wait-median = Attente médiane
fair-wait-p90 = Attente, 90e centile
fair-requests = Demandes
fair-served = Servies
fair-withdrawn = Retirées
fair-unserved = Jamais servies
fair-undefined = non défini
fair-violations = Atteintes à la préséance
fair-violation = Le tour { $turn } est revenu à { $who } alors que { $waiting } attendait de parler pour la première fois
fair-no-violations = Aucune : personne n’a parlé deux fois pendant qu’un demandeur attendait son premier tour.
fair-interventions = Interventions de la présidence
fair-no-interventions = Aucune.
intervention-revoke = Parole retirée
intervention-grant = Parole donnée hors de l’ordre
intervention-reorder = Liste réordonnée
intervention-clear = Liste vidée
intervention-mute = Mise en sourdine
intervention-remove = Exclusion
intervention-ruling = Décision
