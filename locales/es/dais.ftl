# Cliente de terminal Dais: español.
# Cada línea debe caber en un terminal de 80 columnas.

## Paneles

pane-rooms = Salas
rooms-none = Aún no hay salas
rooms-unread = { $count }
rooms-more = +{ $count } más · F9
pane-participants = Participantes
members-online = { $online } conectados de { $count }
members-guests = { $count ->
    [one] { $count } invitado
   *[other] { $count } invitados
}
members-more = { $count } más…
members-loading = Cargando…
members-more-below = ↓ { $count } más · { $key }
pane-floor = Palabra · { $mode }
pane-floor-empty = Palabra
pane-transcript = { $room }
pane-transcript-empty = Debate
transcript-no-room = No está en ninguna sala. Pulse F9 para elegir una.
transcript-connecting = Conectando con { $server }…
transcript-failed = { $server } no le dejó entrar: { $error }. Revise su archivo de token (--token-file) o su nombre de invitado y vuelva a iniciar dais. Ctrl+Q para salir.
transcript-new = nuevo
transcript-new-below = { $count } nuevos ↓ Fin
transcript-loading = Cargando intervenciones anteriores…
transcript-more = RePág para intervenciones anteriores
transcript-start = Inicio del acta
echo-sending = enviando…
echo-failed = no enviado

## Modos

mode-speakers-list = Lista de oradores
mode-round-robin = Ronda de intervenciones
mode-open = Debate abierto
mode-suspended = Sesión suspendida
mode-short-speakers-list = lista
mode-short-round-robin = ronda
mode-short-open = abierto
mode-short-suspended = susp.

## Grupos de partes interesadas

stakeholder-government = Gobiernos
stakeholder-private-sector = Sector privado
stakeholder-technical-community = Comunidad técnica
stakeholder-civil-society = Sociedad civil
stakeholder-academia = Academia
stakeholder-intergovernmental = Intergubernamental
badge-government = GOB
badge-private-sector = PRIV
badge-technical-community = TÉC
badge-civil-society = SC
badge-academia = ACAD
badge-intergovernmental = OIG
badge-guest = [invitado]
name-guest = { $name } [invitado]

## Funciones

role-delegate = Delegado
role-moderator = Presidencia
role-interpreter = Intérprete
role-observer = Observador

## Palabra y lista de oradores

class-reply = (réplica)
class-clarifying = (pregunta)
floor-paused = Reloj en pausa
floor-stopped-offline = Reloj detenido sin conexión
floor-free = Nadie tiene la palabra
floor-limit = Tiempo por turno: { $time }
floor-you-spoke = Ha hablado { $time }
floor-hint-request = F2 para pedir la palabra
queue-title = Lista de oradores: { $count } en espera
queue-closed = (cerrada)
queue-empty = Nadie en espera
queue-you = usted
round-status = Ronda { $round }: faltan { $count }
points-title = { $count ->
    [one] { $count } cuestión de orden
   *[other] { $count } cuestiones de orden
}

## Debate

ev-announcement = Comunicado de la presidencia ({ $who })
ev-point-of-order = Cuestión de orden: { $who }
ev-ruling = { $upheld ->
    [yes] Decisión de { $who }: cuestión admitida
    [no] Decisión de { $who }: cuestión rechazada
   *[none] Decisión de { $who }
}
ev-floor-granted = Tiene la palabra { $who } ({ $name })
ev-floor-granted-reply = Derecho de réplica: { $who } ({ $name })
ev-floor-granted-clarifying = Pregunta aclaratoria: { $who } ({ $name })
ev-floor-granted-one = Tiene la palabra { $who }
ev-floor-granted-reply-one = Derecho de réplica: { $who }
ev-floor-granted-clarifying-one = Pregunta aclaratoria: { $who }
ev-out-of-order = fuera de turno
ev-turn-ended = { $who } terminó: { $reason }, { $time }
ev-floor-requested = { $who } pide la palabra
ev-reply-requested = { $who } pide el derecho de réplica
ev-reply-requested-to = { $who } pide el derecho de réplica a { $author } ({ $time }): «{ $quote }»
ev-clarifying-requested = { $who } tiene una pregunta aclaratoria
ev-floor-withdrawn = { $who } se retiró de la lista
ev-clock-paused = { $who } pausó el reloj
ev-clock-resumed = { $who } reanudó el reloj
ev-mode-changed = { $who } fijó el modo: { $mode }
ev-time-limit = { $who } fijó el tiempo por turno: { $time }
ev-queue-reordered = { $who } cambió el orden de la lista
ev-queue-cleared = { $who } vació la lista de oradores
ev-list-closed = { $who } cerró la lista de oradores
ev-list-opened = { $who } reabrió la lista de oradores
ev-round-started = { $count ->
    [one] { $who } abrió la ronda { $round }: { $count } orador
   *[other] { $who } abrió la ronda { $round }: { $count } oradores
}
ev-round-ended = Terminó la ronda { $round }
ev-poll-opened = Votación abierta por { $who }
ev-poll-closed = Votación cerrada. Resultados:
poll-votes = { $count ->
    [one] { $count } voto
   *[other] { $count } votos
}
ev-muted = { $who } fue silenciado
ev-unmuted = { $who } puede volver a hablar
ev-removed = { $who } fue expulsado de la sala
ev-room-created = { $who } abrió esta sala
ev-room-locked = { $who } cerró el acceso a la sala
ev-room-unlocked = { $who } reabrió el acceso a la sala
ev-room-closed = { $who } clausuró la sala
ev-service-restored = De vuelta tras { $cause ->
        [failover] un fallo del servidor ({ $node } se hizo cargo de la sala)
        [handover] un cambio de servidor previsto ({ $node } se hizo cargo de la sala)
       *[restart] un reinicio del servidor
    }; la sala estuvo interrumpida { $down }
ev-service-restored-paused = El reloj del orador se detuvo con { $remaining } restantes, sin perder tiempo; la presidencia lo reanuda

reason-yielded = cedió la palabra
reason-yielded-to = cedió el tiempo restante
reason-passed = pasó su turno
reason-revoked = se le retiró la palabra
reason-time-expired = se agotó el tiempo
reason-next-called = la presidencia siguió adelante
reason-superseded = la presidencia dio la palabra
reason-holder-left = salió de la sala
reason-mode-changed = cambio de modo

interpretation-shown = Interpretación (original en { $lang }); t muestra el original
interpretation-original = Original; t muestra la interpretación

poll-banner = Votación: { $question }
poll-hint = F6 para votar
poll-count = { $number } { $option }: { $count }
poll-result = { $option }: { $votes }
poll-voted = su delegación ya votó (F6 para cambiar)
poll-option-support = A favor
poll-option-object = En contra
poll-option-abstain = Abstención

## Barra de estado

status-online = Conectado
status-online-at = Conectado a { $server }
status-connecting = Conectando con { $server } (intento { $attempt })…
status-offline = { $seconds ->
    [one] Sin conexión ({ $server }), reintento en { $seconds } segundo
   *[other] Sin conexión ({ $server }), reintento en { $seconds } segundos
}
status-busy = { $seconds ->
    [one] { $server } está ocupado (demasiadas conexiones), reintento en { $seconds } segundo
   *[other] { $server } está ocupado (demasiadas conexiones), reintento en { $seconds } segundos
}
status-unsent = { $count ->
    [one] { $count } mensaje pendiente de envío
   *[other] { $count } mensajes pendientes de envío
}
status-hint = F1 ayuda · Ctrl+P acciones

## Entrada

input-title = Mensaje · Intro envía · Alt+Intro nueva línea
input-title-unfocused = Mensaje · escriba, o Esc, para redactar
input-placeholder = Escriba para redactar un mensaje

## Ventanas

palette-title = Acciones
prompt-title = Intro para confirmar · Esc para cancelar
reorder-title = Cambiar el orden de la lista
reorder-hint = Mayús+↑↓ o +/- mueven · Intro guarda
help-title = Ayuda · Esc para cerrar
help-title-position = Ayuda · { $from }–{ $to } de { $count } · ↑↓ RePág AvPág · Esc
search-title = Buscar en el acta
search-hint = Escriba las palabras · ↑ anterior · ↓ posterior · Intro
search-status = Resultado { $at } de { $count } · ↑ anterior · ↓ posterior · Intro
search-none = Sin resultados
help-section-keys = Escribir y leer
help-send = Enviar el mensaje
help-newline = Nueva línea en el mensaje
help-history = Recuperar lo que envió
help-complete = Completar un nombre o un /comando
help-end = Volver al mensaje más reciente
help-focus = Dejar la escritura por el acta
help-select = Elegir un mensaje
help-scroll = Desplazar el debate
help-top-bottom = Inicio y final del debate
help-scroll-members = Desplazar los participantes
help-section-proceedings = En el acta
help-message-actions = Qué hacer con el mensaje elegido
help-back = Volver a escribir (o simplemente escriba)
help-slash = Comandos: /next, /announce texto…
help-section-delegate = Delegados
help-section-chair = Presidencia
help-letters = Las letras son siempre texto, nunca acciones: use las teclas de arriba, Ctrl+P o un /comando.
too-small = La ventana mide { $current }. Dais necesita al menos { $needed }: agrándela.

pick-room = Elegir una sala
pick-language = Idioma de la interfaz
pick-point = ¿Qué cuestión de orden?
pick-point-all = Todas las cuestiones pendientes a la vez
pick-vote = Su voto
pick-mode = Modo de la sala
pick-participant = Elegir un participante
pick-speak = Idioma de sus mensajes
pick-speak-auto = Según el texto
pick-interpret-into = Interpretar al
pick-message-action = Este mensaje
action-reply = Pedir el derecho de réplica
action-interpret = Interpretarlo
action-original = Original o interpretación
pick-upheld = ¿Se admite la cuestión?
confirm-title = ¿Confirmar?
confirm-keys = s: sí · cualquier otra tecla: no
# Letras que responden sí, además de y.
confirm-yes-letters = sS
confirm-yield = ¿Ceder la palabra ahora?
confirm-yield-to = ¿Ceder el resto de su tiempo a { $who }?
confirm-pass = ¿Pasar su turno?
confirm-withdraw = ¿Retirarse de la lista de oradores? Usted es el número { $place }.
confirm-next = ¿Terminar el turno de { $who } y dar la palabra al siguiente orador?
confirm-revoke = ¿Retirar la palabra a { $who }?
confirm-round = ¿Abrir una ronda de intervenciones?
confirm-round-cut = ¿Abrir una ronda de intervenciones? { $who } pierde la palabra.
confirm-clear-queue = ¿Vaciar la lista de oradores? En espera: { $count }.
confirm-close-poll = ¿Cerrar la votación «{ $question }»?
confirm-remove = ¿Expulsar a { $who } de la sala?
confirm-close-room = ¿Cerrar la sala { $room }?
ruling-upheld = Admitida
ruling-rejected = Rechazada
ruling-no-decision = Sin decisión

prompt-point-of-order = Su cuestión de orden (opcional):
prompt-interpret = Interpretación del mensaje elegido:
prompt-interpret-into = Interpretación al { $lang } de:
prompt-announce = Comunicado a la sala:
prompt-time-limit = Tiempo por turno (90, 1:30 o 2m):
prompt-poll-question = Pregunta de la votación:
prompt-poll-options = Opciones separadas por ; (vacío: a favor; en contra; abstención)
prompt-ruling = Su decisión sobre la cuestión de orden:
prompt-room-id = Identificador de la nueva sala (p. ej. cyber-security):
prompt-room-title = Título de la nueva sala:

## Vista de equidad (Ctrl+T, /fairness): las cifras de equidad de la sala.

fairness-title = Equidad · { $room } · { $window }
fairness-keys = Esc cierra · Intro actualiza · Tab: { $next } · ↑↓ RePág AvPág
fairness-position = { $from }–{ $to } de { $count }
fairness-window-whole = toda el acta
fairness-window-last = últimos { $minutes } min
fairness-bad-window = No es un periodo: { $window }. Escriba /fairness, /fairness 15m o /fairness 1h
fairness-loading = Pidiendo las cifras al servidor…
fairness-offline = Sin conexión: las cifras llegarán cuando vuelva la conexión.
fairness-refreshing = actualizando…
fairness-summary = Acta hasta el evento { $seq } · a las { $time }
fairness-totals = Turnos: { $turns } · Tiempo de palabra: { $time } · Delegaciones presentes: { $count }
fairness-gini = Coeficiente de Gini: { $gini } (0: igualdad, 1: una sola voz)
fairness-spread = Dispersión de la representación: { $spread } (razón mayor sobre menor; 1: pareja)
fairness-requests = Solicitudes de palabra: { $made } · atendidas { $served } · retiradas { $withdrawn } · nunca atendidas { $unserved }
fairness-counts = Infracciones de la precedencia: { $violations } · Intervenciones de la presidencia: { $interventions } (Fin: verlas)
fairness-percent = { $value } %
fairness-groups = Tiempo de palabra por grupo de partes interesadas
fairness-legend = █ parte del tiempo de palabra · ┃ parte de las delegaciones presentes · Razón: █ sobre ┃
fairness-waits = Espera entre la solicitud y la palabra, por grupo
fairness-delegations = Tiempo de palabra por delegación (┃ una parte igual)
fairness-violations = Infracciones de la precedencia: { $count }
fairness-no-violations = Nadie habló dos veces mientras otro esperaba su primer turno.
fairness-interventions = Intervenciones de la presidencia: { $count }
fairness-intervention = { $kind }: { $who } (por { $by }) — { $reason }
fairness-intervention-nobody = { $kind } (por { $by }) — { $reason }
fairness-no-reason = sin motivo
fairness-none = Ninguna.
fairness-undefined = no definido
fairness-col-group = Grupo
fairness-col-delegation = Delegación
fairness-col-turns = Turnos
fairness-col-time = Tiempo
fairness-col-share = Parte del tiempo de palabra
fairness-col-spoke = Habló
fairness-col-present = Presentes
fairness-col-ratio = Razón
fairness-col-asked = Pedidas
fairness-col-served = Atendidas
fairness-col-withdrawn = Retiradas
fairness-col-unserved = Nunca
fairness-col-median = Mediana
fairness-col-p90 = Pct. 90
fairness-line-title = Cifras de equidad de { $room }, { $window }, hasta el evento { $seq }:
fairness-line-group = { $group }: turnos { $turns }, tiempo de palabra { $time } ({ $share }; delegaciones presentes { $presence }; razón { $ratio }). Espera de la palabra: mediana { $median }, percentil 90 { $p90 }. Nunca atendidas: { $unserved }.
fairness-line-delegation = { $delegation } ({ $group }): turnos { $turns }, tiempo de palabra { $time } ({ $share }); espera mediana { $median }.


## Avisos

notice-queued-offline = Sin conexión: se enviará al volver la conexión
notice-not-sent = { $count ->
    [one] { $count } solicitud no pudo enviarse a tiempo
   *[other] { $count } solicitudes no pudieron enviarse a tiempo
}
notice-vote-counted = Su voto fue contado
notice-removed = Fue expulsado de esta sala
notice-muted = Fue silenciado en esta sala
notice-unmuted = Puede volver a hablar
notice-your-floor = Tiene la palabra
notice-ten-seconds = Quedan 10 segundos
notice-next-in-line = Usted es el siguiente
notice-unknown-command = Comando desconocido: /{ $name }
notice-no-room = No está en ninguna sala
notice-select-message = Elija primero un mensaje: Esc, ↑ ↓ y luego Intro
notice-no-points = No hay cuestiones de orden pendientes
notice-no-poll = No hay ninguna votación abierta
notice-nobody = No hay nadie a quien elegir
notice-queue-short = La lista tiene menos de dos oradores
notice-bad-time = No es una duración: escriba 90, 1:30 o 2m
notice-interpret-own = Solo puede interpretar sus propios mensajes
notice-not-done = No se hizo nada
notice-speak-auto = El idioma de cada mensaje se reconoce por su texto
notice-speak-lang = Sus mensajes están ahora en { $lang } (/lang auto para deshacer)
notice-bad-lang = No es un código de idioma: { $lang }
notice-no-action = No hay nada que hacer con este mensaje
notify-title = Dais
## Modo línea (dais --line): una línea por evento, para lectores de pantalla.
line-connected = Conectado a { $server } como { $who } ({ $role }). /help muestra los comandos.
line-offline = Sin conexión ({ $server }); reintentando.
line-room = Sala: { $room } ({ $mode }).
line-floor = { $who } tiene la palabra, quedan { $time }.
line-speech = { $who } ({ $lang }): { $text }
line-alert = Atención: { $text }
line-vote-hint = Vote con /vote y el número de una opción.
line-pick = Responda con un número, o con una línea vacía para cancelar:
line-prompt = Responda, o deje la línea vacía para cancelar:
line-commands = Comandos: { $commands }

## Acciones (paleta, ayuda, teclas)

cmd-help = Ayuda
cmd-palette = Acciones
cmd-quit = Salir
cmd-next-room = Sala siguiente
cmd-prev-room = Sala anterior
cmd-rooms = Elegir una sala
cmd-language = Idioma de la interfaz
cmd-focus = Alternar escritura / debate
cmd-original = Original o interpretación
cmd-request-floor = Pedir la palabra
cmd-clarify = Hacer una pregunta aclaratoria
cmd-withdraw = Retirarse de la lista
cmd-yield = Ceder la palabra
cmd-yield-to = Ceder el resto a un delegado
cmd-pass = Pasar el turno
cmd-point-of-order = Cuestión de orden
cmd-reply = Réplica al mensaje elegido
cmd-vote = Votar
cmd-interpret = Interpretar el mensaje elegido
cmd-next = Siguiente orador
cmd-grant = Dar la palabra a…
cmd-revoke = Retirar la palabra
cmd-pause = Pausar el reloj
cmd-resume = Reanudar el reloj
cmd-mode = Fijar el modo
cmd-time-limit = Fijar el tiempo por turno
cmd-reorder = Cambiar el orden de la lista
cmd-clear-queue = Vaciar la lista de oradores
cmd-round = Abrir una ronda
cmd-rule = Decidir una cuestión de orden
cmd-close-list = Cerrar la lista de oradores
cmd-open-list = Reabrir la lista de oradores
cmd-poll = Abrir una votación
cmd-close-poll = Cerrar la votación
cmd-mute = Silenciar a un participante
cmd-unmute = Devolver la palabra
cmd-remove = Expulsar a un participante
cmd-announce = Hacer un comunicado
cmd-new-room = Crear una sala
cmd-lock = Cerrar el acceso a la sala
cmd-unlock = Reabrir el acceso a la sala
cmd-close-room = Clausurar la sala
cmd-search = Buscar en el acta
cmd-lang = Idioma de sus mensajes
cmd-fairness = Cifras de equidad
lang-en = inglés
lang-fr = francés
lang-es = español
lang-ru = ruso
lang-zh = chino
lang-ar = árabe
lang-he = hebreo
lang-pt = portugués
lang-de = alemán

## Errores del servidor

error-unknown = El servidor se negó: { $code }
error-config = No se puede leer el archivo de configuración: { $detail }
error-no-token = Falta el token. Use --token-file ARCHIVO, DAIS_TOKEN, token_file = "…" en { $path }, o --guest NOMBRE.
error-ca = No se puede usar el archivo de CA { $path }: { $detail }
error-no-roots = No hay autoridades de certificación en este sistema. Use --ca ARCHIVO.
error-tls = No se puede preparar TLS: { $detail }
error-token-file = No se puede leer el archivo de token { $path }: { $detail }
error-token-file-empty = El archivo de token { $path } está vacío
warning-token-file-readable = Otros pueden leer el archivo de token { $path } (modo { $mode }): aplíquele chmod 600
error-unauthenticated = Aún no se ha identificado
error-already-authenticated = Ya se ha identificado
error-unsupported-protocol = Este cliente es demasiado antiguo o nuevo para el servidor
error-invalid-token = El token no es válido
error-guests-not-allowed = Este servidor no admite invitados
error-invalid-guest-name = Ese nombre de invitado no se admite
error-guest-name-reserved = Ese nombre está reservado: elija otro nombre de invitado
error-login-throttled = Demasiados accesos fallidos desde esta dirección: espere y vuelva a intentarlo
error-malformed-json = El servidor no pudo leer una solicitud
error-not-an-object = El servidor no pudo leer una solicitud
error-missing-type = El servidor no pudo leer una solicitud
error-unknown-type = El servidor no conoce esta solicitud
error-missing-field = A una solicitud le faltaba un campo
error-unknown-field = Una solicitud tenía un campo desconocido
error-duplicate-field = Una solicitud tenía el mismo campo dos veces
error-invalid-field = Una solicitud tenía un valor incorrecto
error-binary-not-supported = El servidor solo acepta texto
error-text-too-long = El texto es demasiado largo
error-empty-text = El texto está vacío
error-invalid-text = El texto contiene caracteres no admitidos
error-invalid-language = Esa etiqueta de idioma no es válida
error-rate-limited = Demasiado rápido: espere un momento
error-unknown-room = Esa sala no existe
error-room-closed = La sala está clausurada
error-room-locked = El acceso a la sala está cerrado
error-room-exists = Ya existe una sala con ese identificador
error-invalid-room = Ese identificador de sala no es válido
error-too-many-rooms = El servidor ya tiene el máximo de salas
error-replay-in-progress = Aún se está cargando esta sala: vuelva a intentarlo en un momento
error-not-joined = No está en esa sala
error-removed = Fue expulsado de esta sala
error-muted = Está silenciado en esta sala
error-forbidden = Su función no lo permite
error-not-your-turn = No tiene la palabra
error-floor-free = Nadie tiene la palabra
error-not-floor-holder = Solo quien tiene la palabra puede hacerlo
error-already-has-floor = Ya tiene la palabra
error-cannot-hold-floor = Ese participante no puede tomar la palabra
error-already-in-queue = Ya está en la lista
error-not-in-queue = No está en la lista
error-list-closed = La lista de oradores está cerrada
error-queue-empty = La lista de oradores está vacía
error-stale-turn = Ese turno ya terminó
error-not-a-member = Ese participante no está en la sala
error-invalid-order = El nuevo orden debe incluir a todos los inscritos
error-round-in-progress = Hay una ronda en curso
error-clock-paused = El reloj está en pausa
error-clock-running = El reloj está en marcha
error-invalid-time-limit = Ese tiempo por turno no se admite
error-unknown-event = Ese mensaje no existe
error-unknown-point = Esa cuestión de orden no existe
error-too-many-points = Hay demasiadas cuestiones de orden pendientes
error-no-open-poll = No hay ninguna votación abierta
error-poll-already-open = Ya hay una votación abierta
error-invalid-option = Esa opción no existe
error-invalid-poll = La votación necesita una pregunta y opciones
error-no-delegation = No vota por ninguna delegación
error-store-failed = El servidor no pudo guardarlo
error-unavailable = No se puede contactar ahora con el servidor que lleva esta sala; inténtelo de nuevo en un momento
error-internal = Error interno del servidor

## Command line (--help)

cli-about = El cliente de terminal de Dais: diálogo moderado en seis idiomas
cli-usage = Uso:
cli-options = Opciones:
cli-options-placeholder = OPCIONES
cli-help = Mostrar esta ayuda
cli-version = Mostrar la versión
cli-server = Servidor: ws:// o wss:// (DAIS_SERVER)
cli-token-file = Leer su token de este archivo (recomendado; chmod 600)
cli-token = Su token de participante (DAIS_TOKEN); se ve en ps y en el historial: mejor use --token-file
cli-guest = Entrar como invitado con este nombre, si el servidor admite invitados
cli-lang = Idioma de la interfaz: en, fr, es, ru, zh-CN, ar
cli-bidi = Quién ordena el texto árabe: app, terminal, off
cli-room = La sala que se abre primero
cli-speak = Idioma en que habla; si no, el de la interfaz
cli-config = El archivo de configuración (DAIS_CONFIG)
cli-ca = Para wss://, única CA de confianza (PEM) (DAIS_CA)
cli-line = Modo línea para lectores de pantalla (por defecto con TERM=dumb o fuera de un terminal)
cli-quiet-clock = Mostrar el tiempo restante solo en ciertos umbrales, no cada segundo
cli-no-mouse = Dejar el ratón al terminal
cli-value-address = SERVIDOR
cli-value-token = TOKEN
cli-value-lang = IDIOMA
cli-value-who = MODO
cli-value-room = SALA
cli-value-file = ARCHIVO
cli-value-name = NOMBRE

## Mistakes on the command line

cli-error-unknown-argument = Argumento desconocido: { $arg }
cli-error-did-you-mean = ¿Quería decir { $suggestion }?
cli-error-value-required = Falta el valor de { $arg }
cli-error-no-equals = Escriba el valor de { $arg } tras un signo igual (=)
cli-error-invalid-value = Valor no válido para { $arg }: { $value }
cli-error-possible-values = Valores posibles: { $values }
cli-error-unexpected-value = La opción { $arg } no admite ningún valor, pero recibió: { $value }
cli-error-repeated = La opción { $arg } solo puede indicarse una vez
cli-error-conflict = { $arg } no puede usarse junto con { $other }
cli-error-missing-required = Faltan argumentos obligatorios: { $args }
cli-error-invalid-utf8 = Un argumento no es texto UTF-8 válido
cli-error-other = La línea de comandos no es válida
cli-error-try-help = Para más información, ejecute { $command }
cli-error-list-separator = {", "}

## Public pages and the record's export (dais-server). These messages are
## the server's: they stay together at the end of the file.

web-title = Dais: acta pública de las sesiones
web-rooms = Salas públicas
web-rooms-none = Ninguna sala es pública en este momento.
web-record = Acta de las sesiones
web-fairness = Indicadores de equidad
web-language = Idioma
web-live = Las nuevas intervenciones aparecen aquí a medida que se hacen.
web-no-events = Todavía no se ha registrado nada.
web-a-guest = un invitado
web-an-observer = un observador
web-speaker = { $name } ({ $delegation })
web-spoke-in = (habla en { $lang })
web-original = Original ({ $lang })
web-interpretation = Interpretación ({ $lang })
web-back = Todas las salas públicas
web-chart-groups = Proporción del tiempo de palabra y de las delegaciones presentes, por grupo de partes interesadas
web-chart-delegations = Tiempo de palabra por delegación
ev-room-published = { $who } hizo pública el acta de esta sala
ev-room-unpublished = { $who } retiró del público el acta de esta sala
ev-vote-cast = { $who } votó
ev-interpretation = Interpretación al { $lang } por { $who }
export-title = Acta de las sesiones: { $room }
export-room = Sala { $id }.
export-exported = Exportada el { $time }. Eventos: { $count }.
export-proceedings = Sesiones
export-polls = Consultas
export-no-polls = No se cerró ninguna consulta.
export-votes = Votos por delegación: { $votes }
export-speaking-time = Tiempo de palabra
export-total = Total: { $time }
export-time = Tiempo
export-none = (ninguna)
export-reason = motivo: { $reason }
export-given-by = concedida por { $who }
export-fairness = Equidad
fair-summary = Turnos: { $turns }. Tiempo de palabra: { $time }. Delegaciones presentes: { $count }.
fair-whole-record = Sobre toda el acta.
fair-window = Del { $from } al { $to }.
fair-gini = Coeficiente de Gini del tiempo de palabra
fair-spread = Dispersión de la representación (la más alta sobre la más baja)
fair-group = Grupo de partes interesadas
fair-delegation = Delegación
fair-turns = Turnos
fair-speaking = Tiempo de palabra
fair-share = Proporción del tiempo de palabra
fair-presence = Proporción de delegaciones presentes
fair-representation = Representación
fair-present = Delegaciones presentes
fair-wait-median = Espera mediana
fair-wait-p90 = Espera, percentil 90
fair-requests = Solicitudes
fair-served = Atendidas
fair-withdrawn = Retiradas
fair-unserved = Nunca atendidas
fair-undefined = no definido
fair-violations = Infracciones de la precedencia
fair-violation = El turno { $turn } volvió a { $who } mientras { $waiting } esperaba para hablar por primera vez
fair-no-violations = Ninguna: nadie habló dos veces mientras alguien que lo pidió esperaba su primer turno.
fair-interventions = Intervenciones de la presidencia
fair-no-interventions = Ninguna.
intervention-revoke = Palabra retirada
intervention-grant = Palabra concedida fuera de orden
intervention-reorder = Lista reordenada
intervention-clear = Lista vaciada
intervention-mute = Silenciado
intervention-remove = Expulsado
intervention-ruling = Decisión
