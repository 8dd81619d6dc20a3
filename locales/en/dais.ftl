# Dais terminal client: English (the reference locale).
# Keep every line short enough for an 80-column terminal.
# Counts are numbers: plural forms are chosen by Fluent's plural rules.

## Panes

pane-rooms = Rooms
rooms-none = No rooms yet
rooms-unread = { $count }
rooms-more = +{ $count } more · F9
pane-participants = Participants
members-online = { $online } online of { $count }
members-guests = { $count ->
    [one] { $count } guest
   *[other] { $count } guests
}
members-more = { $count } more…
members-loading = Loading…
members-more-below = ↓ { $count } more · { $key }
pane-floor = Floor · { $mode }
pane-floor-empty = Floor
pane-transcript = { $room }
pane-transcript-empty = Proceedings
transcript-no-room = Not in a room. Press F9 to choose one.
transcript-connecting = Connecting to { $server }…
transcript-failed = { $server } did not let you in: { $error }. Check your token file (--token-file) or guest name, then start dais again. Ctrl+Q quits.
transcript-new = new
transcript-new-below = { $count } new ↓ End
transcript-loading = Loading earlier proceedings…
transcript-more = PgUp for earlier proceedings
transcript-start = Start of the record
echo-sending = sending…
echo-failed = not sent

## Modes

mode-speakers-list = Speakers' list
mode-round-robin = Tour de table
mode-open = Open discussion
mode-suspended = Suspended
mode-short-speakers-list = list
mode-short-round-robin = round
mode-short-open = open
mode-short-suspended = susp.

## Stakeholder groups

stakeholder-government = Governments
stakeholder-private-sector = Private sector
stakeholder-technical-community = Technical community
stakeholder-civil-society = Civil society
stakeholder-academia = Academia
stakeholder-intergovernmental = Intergovernmental
badge-government = GOV
badge-private-sector = PRIV
badge-technical-community = TECH
badge-civil-society = CS
badge-academia = ACAD
badge-intergovernmental = IGO
badge-guest = [guest]
name-guest = { $name } [guest]

## Roles

role-delegate = Delegate
role-moderator = Chair
role-interpreter = Interpreter
role-observer = Observer

## Floor and speakers' list

class-reply = (reply)
class-clarifying = (question)
floor-paused = Clock paused
floor-stopped-offline = Clock stopped while offline
floor-free = The floor is free
floor-limit = Time per turn: { $time }
floor-you-spoke = You have spoken { $time }
floor-hint-request = F2 to ask for the floor
queue-title = Speakers' list: { $count } waiting
queue-closed = (closed)
queue-empty = Nobody waiting
queue-you = you
round-status = Round { $round }: { $count } still to speak
points-title = { $count ->
    [one] { $count } point of order
   *[other] { $count } points of order
}

## Proceedings

ev-announcement = Announcement from the chair ({ $who })
ev-point-of-order = Point of order: { $who }
ev-ruling = { $upheld ->
    [yes] Ruling by { $who }: point upheld
    [no] Ruling by { $who }: point rejected
   *[none] Ruling by { $who }
}
ev-floor-granted = The floor goes to { $who } ({ $name })
ev-floor-granted-reply = Right of reply: { $who } ({ $name })
ev-floor-granted-clarifying = Clarifying question: { $who } ({ $name })
ev-floor-granted-one = The floor goes to { $who }
ev-floor-granted-reply-one = Right of reply: { $who }
ev-floor-granted-clarifying-one = Clarifying question: { $who }
ev-out-of-order = out of order
ev-turn-ended = { $who } finished: { $reason }, { $time }
ev-floor-requested = { $who } asks for the floor
ev-reply-requested = { $who } asks for the right of reply
ev-reply-requested-to = { $who } asks for the right of reply to { $author } ({ $time }): “{ $quote }”
ev-clarifying-requested = { $who } has a clarifying question
ev-floor-withdrawn = { $who } withdrew from the list
ev-clock-paused = { $who } paused the clock
ev-clock-resumed = { $who } resumed the clock
ev-mode-changed = { $who } set the mode: { $mode }
ev-time-limit = { $who } set the time per turn: { $time }
ev-queue-reordered = { $who } reordered the speakers' list
ev-queue-cleared = { $who } cleared the speakers' list
ev-list-closed = { $who } closed the speakers' list
ev-list-opened = { $who } reopened the speakers' list
ev-round-started = { $count ->
    [one] { $who } opened round { $round }: { $count } speaker
   *[other] { $who } opened round { $round }: { $count } speakers
}
ev-round-ended = Round { $round } is over
ev-poll-opened = Poll opened by { $who }
ev-poll-closed = Poll closed. Results:
poll-votes = { $count ->
    [one] { $count } vote
   *[other] { $count } votes
}
ev-muted = { $who } was muted
ev-unmuted = { $who } may speak again
ev-removed = { $who } was removed from the room
ev-room-created = { $who } opened this room
ev-room-locked = { $who } locked the room
ev-room-unlocked = { $who } unlocked the room
ev-room-closed = { $who } closed the room
ev-service-restored = Back after { $cause ->
        [failover] a server failure ({ $node } took the room over)
        [handover] a planned change of server ({ $node } took the room over)
       *[restart] a server restart
    }; the room was down for { $down }
ev-service-restored-paused = The speaker's clock was stopped with { $remaining } left, so no time was lost; the chair resumes it

reason-yielded = yielded
reason-yielded-to = yielded the rest
reason-passed = passed
reason-revoked = floor withdrawn
reason-time-expired = time ran out
reason-next-called = chair moved on
reason-superseded = chair gave the floor on
reason-holder-left = left the room
reason-mode-changed = mode changed

interpretation-shown = Interpretation (original in { $lang }); t shows it
interpretation-original = Original; t shows the interpretation

poll-banner = Poll: { $question }
poll-hint = F6 to vote
poll-count = { $number } { $option }: { $count }
poll-result = { $option }: { $votes }
poll-voted = your delegation has voted (F6 to change)
poll-option-support = Support
poll-option-object = Object
poll-option-abstain = Abstain

## Status line

status-online = Connected
status-online-at = Connected to { $server }
status-connecting = Connecting to { $server } (try { $attempt })…
status-offline = { $seconds ->
    [one] Offline ({ $server }), retrying in { $seconds } second
   *[other] Offline ({ $server }), retrying in { $seconds } seconds
}
status-busy = { $seconds ->
    [one] { $server } is busy (too many connections), retrying in { $seconds } second
   *[other] { $server } is busy (too many connections), retrying in { $seconds } seconds
}
status-unsent = { $count ->
    [one] { $count } message waiting to be sent
   *[other] { $count } messages waiting to be sent
}
status-hint = F1 help · Ctrl+P actions

## Input

input-title = Message · Enter sends · Alt+Enter new line
input-title-unfocused = Message · type, or Esc, to write
input-placeholder = Type to write a message

## Windows

palette-title = Actions
prompt-title = Enter to confirm · Esc to cancel
reorder-title = Reorder the speakers' list
reorder-hint = Shift+↑↓ or +/- move · Enter saves
help-title = Help · Esc closes
help-title-position = Help · { $from }–{ $to } of { $count } · ↑↓ PgUp PgDn · Esc
search-title = Search the record
search-hint = Type words to find · ↑ older · ↓ newer · Enter
search-status = Match { $at } of { $count } · ↑ older · ↓ newer · Enter
search-none = No match
help-section-keys = Typing and reading
help-send = Send the message
help-newline = New line in the message
help-history = Recall what you sent
help-complete = Complete a name or a /command
help-end = Back to the newest message
help-focus = Leave the input for the proceedings
help-select = Select a message
help-scroll = Scroll the proceedings
help-top-bottom = Start and end of the proceedings
help-scroll-members = Scroll the participants
help-section-proceedings = In the proceedings
help-message-actions = What to do with the selected message
help-back = Back to typing (or just type)
help-slash = Slash commands: /next, /announce text…
help-section-delegate = Delegates
help-section-chair = Chairs
help-letters = Letters are always text, never actions: use the keys above, Ctrl+P or a /command.
too-small = The window is { $current }. Dais needs at least { $needed }: please enlarge it.

pick-room = Choose a room
pick-language = Interface language
pick-point = Which point of order?
pick-point-all = All pending points at once
pick-vote = Your vote
pick-mode = Mode of the room
pick-participant = Choose a participant
pick-speak = Language of what you say
pick-speak-auto = Tell it from the text
pick-interpret-into = Interpret into
pick-message-action = This message
action-reply = Ask for the right of reply to it
action-interpret = Interpret it
action-original = Original or interpretation
pick-upheld = Is the point upheld?
confirm-title = Are you sure?
confirm-keys = y: yes · any other key: no
# Letters that answer yes, besides y.
# Letters that answer yes, besides y.
confirm-yes-letters = Y
confirm-yield = Yield the floor now?
confirm-yield-to = Yield the rest of your time to { $who }?
confirm-pass = Pass your turn?
confirm-withdraw = Withdraw from the speakers' list? You are number { $place }.
confirm-next = End the turn of { $who } and give the floor to the next speaker?
confirm-revoke = Withdraw the floor from { $who }?
confirm-round = Start a tour de table?
confirm-round-cut = Start a tour de table? { $who } loses the floor.
confirm-clear-queue = Clear the speakers' list? Waiting: { $count }.
confirm-close-poll = Close the poll “{ $question }”?
confirm-remove = Remove { $who } from the room?
confirm-close-room = Close the room { $room }?
ruling-upheld = Upheld
ruling-rejected = Rejected
ruling-no-decision = No decision

prompt-point-of-order = Your point of order (optional):
prompt-interpret = Interpretation of the selected message:
prompt-interpret-into = Interpretation into { $lang } of:
prompt-announce = Announcement to the room:
prompt-time-limit = Time per turn (90, 1:30 or 2m):
prompt-poll-question = Question of the poll:
prompt-poll-options = Options separated by ; (empty: support; object; abstain)
prompt-ruling = Your ruling on the point of order:
prompt-room-id = Identifier of the new room (e.g. cyber-security):
prompt-room-title = Title of the new room:

## Fairness view (Ctrl+T, /fairness): the room's fairness figures, as the
## server computes them (docs/FAIRNESS.md). Column heads are short: the
## tables must fit 80 columns.

fairness-title = Fairness · { $room } · { $window }
fairness-keys = Esc closes · Enter refreshes · Tab: { $next } · ↑↓ PgUp PgDn
fairness-position = { $from }–{ $to } of { $count }
fairness-window-whole = whole record
fairness-window-last = last { $minutes } min
fairness-bad-window = Not a window: { $window }. Write /fairness, /fairness 15m or /fairness 1h
fairness-loading = Asking the server for the figures…
fairness-offline = Offline: the figures come when the connection is back.
fairness-refreshing = refreshing…
fairness-summary = Record up to event { $seq } · as of { $time }
fairness-totals = Turns: { $turns } · Speaking time: { $time } · Delegations present: { $count }
fairness-gini = Gini coefficient: { $gini } (0: all equal, 1: one voice)
fairness-spread = Representation spread: { $spread } (highest ratio over lowest; 1: even)
fairness-requests = Requests for the floor: { $made } · served { $served } · withdrawn { $withdrawn } · never served { $unserved }
fairness-counts = Precedence violations: { $violations } · The chair's interventions: { $interventions } (End: see them)
fairness-percent = { $value }%
fairness-groups = Speaking time by stakeholder group
fairness-legend = █ share of speaking time · ┃ share of delegations present · Ratio: █ over ┃
fairness-waits = Wait from request to floor, by group
fairness-delegations = Speaking time by delegation (┃ an equal share)
fairness-violations = Precedence violations: { $count }
fairness-no-violations = Nobody spoke twice while someone waited for a first turn.
fairness-interventions = The chair's interventions: { $count }
fairness-intervention = { $kind }: { $who } (by { $by }) — { $reason }
fairness-intervention-nobody = { $kind } (by { $by }) — { $reason }
fairness-no-reason = no reason given
fairness-none = None.
fairness-undefined = not defined
fairness-col-group = Group
fairness-col-delegation = Delegation
fairness-col-turns = Turns
fairness-col-time = Time
fairness-col-share = Share of speaking time
fairness-col-spoke = Spoke
fairness-col-present = Present
fairness-col-ratio = Ratio
fairness-col-asked = Asked
fairness-col-served = Served
fairness-col-withdrawn = Withdrawn
fairness-col-unserved = Never served
fairness-col-median = Median
fairness-col-p90 = 90th pct
fairness-line-title = Fairness figures of { $room }, { $window }, up to event { $seq }:
fairness-line-group = { $group }: turns { $turns }, speaking time { $time } ({ $share }; delegations present { $presence }; ratio { $ratio }). Wait for the floor: median { $median }, 90th percentile { $p90 }. Never served: { $unserved }.
fairness-line-delegation = { $delegation } ({ $group }): turns { $turns }, speaking time { $time } ({ $share }); median wait { $median }.

## Notices

notice-queued-offline = Offline: it will be sent when the connection is back
notice-not-sent = { $count ->
    [one] { $count } request could not be sent in time
   *[other] { $count } requests could not be sent in time
}
notice-vote-counted = Your vote was counted
notice-removed = You were removed from this room
notice-muted = You were muted in this room
notice-unmuted = You may speak again
notice-your-floor = You have the floor
notice-ten-seconds = 10 seconds left
notice-next-in-line = You are next in line
notice-unknown-command = Unknown command: /{ $name }
notice-no-room = You are not in a room
notice-select-message = First select a message: Esc, ↑ ↓, then Enter
notice-no-points = No point of order is pending
notice-no-poll = No poll is open
notice-nobody = Nobody to choose
notice-queue-short = The list has fewer than two speakers
notice-bad-time = Not a time: write 90, 1:30 or 2m
notice-interpret-own = You may interpret only your own messages
notice-not-done = Not done
notice-speak-auto = The language of each message is told from its text
notice-speak-lang = Your messages are in { $lang } from now on (/lang auto to undo)
notice-bad-lang = Not a language tag: { $lang }
notice-no-action = Nothing you can do with this message
notify-title = Dais
## Line mode (dais --line): one line per event, for screen readers.
line-connected = Connected to { $server } as { $who } ({ $role }). /help lists the commands.
line-offline = Offline ({ $server }); trying again.
line-room = Room: { $room } ({ $mode }).
line-floor = { $who } has the floor, { $time } left.
line-speech = { $who } ({ $lang }): { $text }
line-alert = Attention: { $text }
line-vote-hint = Vote with /vote and the number of an option.
line-pick = Answer with a number, or an empty line to cancel:
line-prompt = Answer, or an empty line to cancel:
line-commands = Commands: { $commands }

## Actions (palette, help, keys)

cmd-help = Help
cmd-palette = Actions
cmd-quit = Quit
cmd-next-room = Next room
cmd-prev-room = Previous room
cmd-rooms = Choose a room
cmd-language = Interface language
cmd-focus = Switch typing / proceedings
cmd-original = Original or interpretation
cmd-request-floor = Request the floor
cmd-clarify = Ask a clarifying question
cmd-withdraw = Withdraw from the list
cmd-yield = Yield the floor
cmd-yield-to = Yield the rest to a delegate
cmd-pass = Pass
cmd-point-of-order = Point of order
cmd-reply = Right of reply to selected
cmd-vote = Vote
cmd-interpret = Interpret selected message
cmd-next = Next speaker
cmd-grant = Give the floor to…
cmd-revoke = Withdraw the floor
cmd-pause = Pause the clock
cmd-resume = Resume the clock
cmd-mode = Set the mode
cmd-time-limit = Set the time per turn
cmd-reorder = Reorder the speakers' list
cmd-clear-queue = Clear the speakers' list
cmd-round = Start a tour de table
cmd-rule = Rule on a point of order
cmd-close-list = Close the speakers' list
cmd-open-list = Reopen the speakers' list
cmd-poll = Open a poll
cmd-close-poll = Close the poll
cmd-mute = Mute a participant
cmd-unmute = Unmute a participant
cmd-remove = Remove a participant
cmd-announce = Announce
cmd-new-room = Create a room
cmd-lock = Lock the room
cmd-unlock = Unlock the room
cmd-close-room = Close the room
cmd-search = Search the record
cmd-lang = Language of what you say
cmd-fairness = Fairness figures
lang-en = English
lang-fr = French
lang-es = Spanish
lang-ru = Russian
lang-zh = Chinese
lang-ar = Arabic
lang-he = Hebrew
lang-pt = Portuguese
lang-de = German

## Errors from the server

error-unknown = The server refused: { $code }
error-config = Cannot read the config file: { $detail }
error-no-token = No token. Use --token-file FILE, DAIS_TOKEN, token_file = "…" in { $path }, or --guest NAME.
error-ca = Cannot use the CA file { $path }: { $detail }
error-no-roots = No trusted certificate authorities on this system. Use --ca FILE.
error-tls = Cannot set up TLS: { $detail }
error-token-file = Cannot read the token file { $path }: { $detail }
error-token-file-empty = The token file { $path } is empty
warning-token-file-readable = Others can read the token file { $path } (mode { $mode }): run chmod 600 on it
error-unauthenticated = Not signed in yet
error-already-authenticated = Already signed in
error-unsupported-protocol = This client is too old or too new for the server
error-invalid-token = The token is not valid
error-guests-not-allowed = This server admits no guests
error-invalid-guest-name = That guest name is not allowed
error-guest-name-reserved = That name is reserved: choose another guest name
error-login-throttled = Too many failed sign-ins from this address: wait, then try again
error-malformed-json = The server could not read a request
error-not-an-object = The server could not read a request
error-missing-type = The server could not read a request
error-unknown-type = The server does not know this request
error-missing-field = A request lacked a field
error-unknown-field = A request had an unknown field
error-duplicate-field = A request had the same field twice
error-invalid-field = A request had a wrong value
error-binary-not-supported = The server takes text frames only
error-text-too-long = The text is too long
error-empty-text = The text is empty
error-invalid-text = The text holds characters that are not allowed
error-invalid-language = That language tag is not valid
error-rate-limited = Too fast: wait a moment
error-unknown-room = No such room
error-room-closed = The room is closed
error-room-locked = The room is locked
error-room-exists = A room with that identifier exists
error-invalid-room = That room identifier is not valid
error-too-many-rooms = The server already has its maximum of rooms
error-replay-in-progress = Still catching up on this room: try again in a moment
error-not-joined = You are not in that room
error-removed = You were removed from this room
error-muted = You are muted in this room
error-forbidden = Your role does not allow this
error-not-your-turn = You do not have the floor
error-floor-free = Nobody has the floor
error-not-floor-holder = Only the speaker can do this
error-already-has-floor = You already have the floor
error-cannot-hold-floor = That participant cannot take the floor
error-already-in-queue = You are already on the list
error-not-in-queue = You are not on the list
error-list-closed = The speakers' list is closed
error-queue-empty = The speakers' list is empty
error-stale-turn = That turn has already ended
error-not-a-member = That participant is not in the room
error-invalid-order = The new order must list everyone waiting
error-round-in-progress = A round is under way
error-clock-paused = The clock is paused
error-clock-running = The clock is running
error-invalid-time-limit = That time limit is not allowed
error-unknown-event = No such message
error-unknown-point = No such point of order
error-too-many-points = Too many points of order are pending
error-no-open-poll = No poll is open
error-poll-already-open = A poll is already open
error-invalid-option = No such option
error-invalid-poll = The poll needs a question and options
error-no-delegation = You vote for no delegation
error-store-failed = The server could not save this
error-unavailable = The server running this room cannot be reached right now; try again in a moment
error-internal = The server had an internal error

## Command line (--help)

cli-about = The Dais terminal client: moderated dialogue in six languages
cli-usage = Usage:
cli-options = Options:
cli-options-placeholder = OPTIONS
cli-help = Show this help
cli-version = Show the version
cli-server = Server address, ws:// or wss:// (DAIS_SERVER)
cli-token-file = Read your token from this file (recommended; chmod 600)
cli-token = Your participant token (DAIS_TOKEN); it shows in ps and in shell history: prefer --token-file
cli-guest = Come in as a guest under this name, if the server admits guests
cli-lang = Interface language: en, fr, es, ru, zh-CN, ar
cli-bidi = Who orders right-to-left text: app, terminal, off
cli-room = The room to open first
cli-speak = The language you speak (default: the interface's)
cli-config = The config file (DAIS_CONFIG)
cli-ca = For wss://, trust only this CA (PEM) (DAIS_CA)
cli-line = Line mode for screen readers (the default when TERM=dumb or not on a terminal)
cli-quiet-clock = Show the time left only at thresholds, not every second
cli-no-mouse = Leave the mouse to the terminal
cli-value-address = ADDRESS
cli-value-token = TOKEN
cli-value-lang = LANG
cli-value-who = MODE
cli-value-room = ROOM
cli-value-file = FILE
cli-value-name = NAME

## Mistakes on the command line. In each, { $arg } is an option as typed or
## as --help shows it (--server <ADDRESS>), { $value } what was given for it.

cli-error-unknown-argument = Unknown argument: { $arg }
cli-error-did-you-mean = Did you mean { $suggestion }?
cli-error-value-required = Missing value for { $arg }
cli-error-no-equals = Give the value of { $arg } after an equals sign (=)
cli-error-invalid-value = Invalid value for { $arg }: { $value }
cli-error-possible-values = Possible values: { $values }
cli-error-unexpected-value = The option { $arg } takes no value, but was given: { $value }
cli-error-repeated = The option { $arg } can be given only once
cli-error-conflict = { $arg } cannot be used with { $other }
cli-error-missing-required = Missing required arguments: { $args }
cli-error-invalid-utf8 = An argument is not valid UTF-8 text
cli-error-other = The command line is not valid
cli-error-try-help = For more information, run { $command }
# Between the items of a list such as the possible values.
cli-error-list-separator = {", "}

## Public pages and the record's export (dais-server). These messages are
## the server's: they stay together at the end of the file.

web-title = Dais: public record of proceedings
web-rooms = Public rooms
web-rooms-none = No room is public at the moment.
web-record = Record of proceedings
web-fairness = Fairness figures
web-language = Language
web-live = New statements appear here as they are made.
web-no-events = Nothing has been recorded yet.
web-a-guest = a guest
web-an-observer = an observer
web-speaker = { $name } ({ $delegation })
web-spoke-in = (spoke in { $lang })
web-original = Original ({ $lang })
web-interpretation = Interpretation ({ $lang })
web-back = All public rooms
web-chart-groups = Share of speaking time and share of delegations present, by stakeholder group
web-chart-delegations = Speaking time by delegation
ev-room-published = { $who } opened the record of this room to the public
ev-room-unpublished = { $who } closed the record of this room to the public
ev-vote-cast = { $who } voted
ev-interpretation = Interpretation into { $lang } by { $who }
export-title = Record of proceedings: { $room }
export-room = Room { $id }.
export-exported = Exported on { $time }. Events: { $count }.
export-proceedings = Proceedings
export-polls = Polls
export-no-polls = No poll was closed.
export-votes = Votes by delegation: { $votes }
export-speaking-time = Speaking time
export-total = Total: { $time }
export-time = Time
export-none = (none)
export-reason = reason: { $reason }
export-given-by = given by { $who }
export-fairness = Fairness
fair-summary = Turns: { $turns }. Speaking time: { $time }. Delegations present: { $count }.
fair-whole-record = Over the whole record.
fair-window = From { $from } to { $to }.
fair-gini = Gini coefficient of speaking time
fair-spread = Representation spread (highest over lowest)
fair-group = Stakeholder group
fair-delegation = Delegation
fair-turns = Turns
fair-speaking = Speaking time
fair-share = Share of speaking time
fair-presence = Share of delegations present
fair-representation = Representation
fair-present = Delegations present
fair-wait-median = Median wait
fair-wait-p90 = Wait, 90th percentile
fair-requests = Requests
fair-served = Served
fair-withdrawn = Withdrawn
fair-unserved = Never served
fair-undefined = not defined
fair-violations = Precedence violations
fair-violation = Turn { $turn } went again to { $who } while { $waiting } waited to speak for the first time
fair-no-violations = None: nobody spoke twice while someone who had asked waited for a first turn.
fair-interventions = The chair's interventions
fair-no-interventions = None.
intervention-revoke = Floor withdrawn
intervention-grant = Floor given out of order
intervention-reorder = List reordered
intervention-clear = List cleared
intervention-mute = Muted
intervention-remove = Removed
intervention-ruling = Ruling
