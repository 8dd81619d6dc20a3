//! The client's state and the one function that changes it.
//!
//! `update(app, action, now)` takes a key, a pasted text, a network event or
//! a clock tick and returns the effects the main loop must carry out (frames
//! to send, a bell). It does no I/O, so every rule here is tested without a
//! terminal or a socket. Drawing (ui/) only reads the state.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use dais_protocol::{
    Access, Actor, ClockView, EntryClass, Envelope, ErrorCode, Event, EventFrame, FloorView,
    MemberView, Mode, Participant, ParticipantId, Presence, Request, RequestId, Role, RoomId,
    RoomState, RoomSummary, Seq, ServerFrame, TurnId, You, PROTOCOL_VERSION,
};

use crate::args;
use crate::bidi::BidiMode;
use crate::commands::Command;
use crate::i18n::Localizer;
use crate::input::TextInput;
use crate::keys;
use crate::names;

pub mod members;

use members::{MemberList, MEMBERS_PAGE};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// How long a request may wait for a connection before we give up on it.
pub const OUTBOX_MAX_AGE_MS: Millis = 5 * 60 * 1000;
/// How long a notice stays in the status line.
const TOAST_MS: Millis = 6_000;
/// How long the screen flashes when the floor comes to you.
const FLASH_MS: Millis = 1_500;
/// Events fetched per history page.
const HISTORY_PAGE: u32 = 100;

/// What the network task reports.
#[derive(Debug, Clone, PartialEq)]
pub enum NetEvent {
    /// Trying to connect (0 for the first try).
    Connecting { attempt: u32 },
    /// A frame from the server (the first is `welcome`).
    Frame(Box<ServerFrame>),
    /// The connection is gone; the next try is in `retry_in_ms`.
    Disconnected { retry_in_ms: u64 },
    /// The server turned the connection away before the websocket opened
    /// (HTTP 429: too many connections from this address, or too fast);
    /// the next try is in `retry_in_ms`.
    Busy { retry_in_ms: u64 },
    /// The server refused us for good (bad token, protocol): no more retries.
    Fatal(ErrorCode),
}

/// Something that happened, to be applied to the state.
#[derive(Debug, Clone)]
pub enum Action {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    Tick,
    Net(NetEvent),
    Command(Command),
}

/// What the main loop must do after an update.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Send(Envelope),
    Bell,
    Quit,
    /// The interface language changed: later `hello`s ask for room titles
    /// in this language.
    Language(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Conn {
    Connecting {
        attempt: u32,
    },
    Online,
    Offline {
        retry_at: Millis,
    },
    /// Turned away by a busy server (HTTP 429); trying again at `retry_at`.
    Busy {
        retry_at: Millis,
    },
    /// Refused by the server; the code says why.
    Failed(ErrorCode),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Input,
    Transcript,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Error,
}

/// A short notice in the status line, already localized.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    pub text: String,
    pub kind: ToastKind,
    pub until: Millis,
}

/// A request sent (or waiting to be sent) and not yet answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub envelope: Envelope,
    pub created: Millis,
}

/// Your own message, shown at once and marked until the server confirms it.
#[derive(Debug, Clone, PartialEq)]
pub struct Echo {
    pub id: u64,
    pub text: String,
    pub lang: String,
    pub failed: bool,
}

/// What the last draw learned about the transcript, so that scrolling can
/// stop at the top. Written by the drawing code, which otherwise only reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderInfo {
    /// Lines of the whole loaded transcript, once a draw reached its top.
    pub total_lines: Option<usize>,
    /// Rows the transcript had.
    pub height: usize,
    /// The scroll position actually drawn (it can differ from `scroll` to
    /// keep the selected message in view).
    pub scroll: usize,
}

/// One room as this client knows it.
#[derive(Debug, Clone, Default)]
pub struct RoomView {
    /// The record of proceedings received so far, by seq: nothing twice.
    pub events: BTreeMap<Seq, EventFrame>,
    /// Interpretations of a message: its seq to the interpretation events.
    pub interpretations: BTreeMap<Seq, Vec<Seq>>,
    pub state: Option<RoomState>,
    /// The server confirmed our join on the current connection.
    pub joined: bool,
    /// The highest seq received: a reconnect resumes after it.
    pub last_seq: Seq,
    /// Events up to here have been seen.
    pub read_seq: Seq,
    /// Draw the "new messages" line after this seq.
    pub unread_marker: Option<Seq>,
    /// The server said there is nothing older.
    pub history_exhausted: bool,
    pub history_pending: bool,
    /// Lines scrolled up from the bottom; 0 follows new messages.
    pub scroll: usize,
    /// The message selected for a reply, an interpretation or a toggle.
    pub selected: Option<Seq>,
    /// Messages shown in the original rather than the interpretation.
    pub show_original: BTreeSet<Seq>,
    pub echoes: Vec<Echo>,
    /// Who is in the room: the pages of the list fetched so far, and the counts.
    pub members: MemberList,
    /// Your own speaking time in this room, in turns that have ended: what
    /// `join`'s `ok` said, plus each later `turn_ended` of yours.
    pub you: Option<You>,
    /// The seq `join`'s `ok` reported: `you` already counts the turns
    /// that ended up to it (a replay brings those again).
    you_seq: Seq,
    alerted_turn: Option<TurnId>,
    alerted_next: bool,
    alerted_ten: Option<TurnId>,
    pub render: Cell<RenderInfo>,
}

impl RoomView {
    pub fn oldest(&self) -> Option<Seq> {
        self.events.keys().next().copied()
    }

    /// Whether older events may exist on the server.
    pub fn has_older(&self) -> bool {
        !self.history_exhausted && self.oldest().is_some_and(|s| s > 1)
    }

    /// Speeches and announcements after `read_seq`.
    pub fn unread(&self) -> usize {
        self.events
            .range(self.read_seq + 1..)
            .filter(|(_, e)| matches!(e.event, Event::Speech { .. } | Event::Announcement { .. }))
            .count()
    }

    fn insert(&mut self, frame: EventFrame) {
        if let Event::Interpretation { of, .. } = &frame.event {
            let list = self.interpretations.entry(*of).or_default();
            if !list.contains(&frame.seq) {
                list.push(frame.seq);
            }
        }
        self.last_seq = self.last_seq.max(frame.seq);
        self.events.insert(frame.seq, frame);
    }

    /// What a new event changes in the member list and your speaking time.
    fn follow(&mut self, event: &Event, me: Option<&str>, seq: Seq) {
        match event {
            Event::TurnEnded {
                holder, spoke_ms, ..
            } => {
                self.members.spoke(&holder.id, *spoke_ms);
                if Some(holder.id.as_str()) == me && seq > self.you_seq {
                    if let Some(you) = self.you.as_mut() {
                        you.speaking_ms += spoke_ms;
                    }
                }
            }
            Event::Muted { who, until, .. } => {
                self.members.set_muted(&who.id, true, *until);
                if Some(who.id.as_str()) == me {
                    if let Some(you) = self.you.as_mut() {
                        you.muted = true;
                        you.muted_until = *until;
                    }
                }
            }
            Event::Unmuted { who, .. } => {
                self.members.set_muted(&who.id, false, None);
                if Some(who.id.as_str()) == me {
                    if let Some(you) = self.you.as_mut() {
                        you.muted = false;
                        you.muted_until = None;
                    }
                }
            }
            Event::Removed { who, .. } => self.members.removed(&who.id),
            _ => {}
        }
    }
}

/// What a list picker is for.
#[derive(Debug, Clone, PartialEq)]
pub enum PickFor {
    Grant,
    YieldTo,
    Mute,
    Unmute,
    Remove,
    Vote,
    SetMode,
    RulePoint,
    /// `point` is the point of order ruled on; `None` rules on all pending.
    RuleUpheld {
        point: Option<Seq>,
        ruling: String,
    },
    Language,
    Room,
    Confirm(Box<Request>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum PickValue {
    Participant(ParticipantId),
    Option(u32),
    Mode(Mode),
    Upheld(Option<bool>),
    /// A point of order; `None` for all of them.
    Point(Option<Seq>),
    Lang(&'static str),
    Room(RoomId),
    Yes,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PickItem {
    /// Already localized, in logical order.
    pub label: String,
    pub value: PickValue,
}

/// What a text prompt is for.
#[derive(Debug, Clone, PartialEq)]
pub enum PromptFor {
    PointOfOrder,
    Interpret {
        of: Seq,
    },
    Announce,
    TimeLimit,
    PollQuestion,
    PollOptions {
        question: String,
    },
    /// `None`: one ruling on every pending point.
    RuleText {
        point: Option<Seq>,
    },
    RoomId,
    RoomTitle {
        id: RoomId,
    },
}

impl PromptFor {
    /// The Fluent id of the prompt's question.
    pub fn label_id(&self) -> &'static str {
        match self {
            PromptFor::PointOfOrder => "prompt-point-of-order",
            PromptFor::Interpret { .. } => "prompt-interpret",
            PromptFor::Announce => "prompt-announce",
            PromptFor::TimeLimit => "prompt-time-limit",
            PromptFor::PollQuestion => "prompt-poll-question",
            PromptFor::PollOptions { .. } => "prompt-poll-options",
            PromptFor::RuleText { .. } => "prompt-ruling",
            PromptFor::RoomId => "prompt-room-id",
            PromptFor::RoomTitle { .. } => "prompt-room-title",
        }
    }

    /// An empty answer is allowed (and means "none" or "the default").
    fn optional(&self) -> bool {
        matches!(
            self,
            PromptFor::PointOfOrder | PromptFor::PollOptions { .. }
        )
    }
}

/// A window over the main screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Palette {
        filter: TextInput,
        selected: usize,
    },
    Pick {
        title_id: &'static str,
        items: Vec<PickItem>,
        selected: usize,
        purpose: PickFor,
    },
    Prompt {
        purpose: PromptFor,
        input: TextInput,
    },
    Reorder {
        order: Vec<Actor>,
        selected: usize,
    },
}

/// The whole client state.
#[derive(Debug)]
pub struct App {
    pub l10n: Localizer,
    pub bidi: BidiMode,
    pub conn: Conn,
    pub me: Option<Participant>,
    pub rooms: Vec<RoomSummary>,
    pub views: BTreeMap<RoomId, RoomView>,
    pub current: Option<RoomId>,
    /// The room asked for on the command line, joined first.
    pub wanted_room: Option<RoomId>,
    pub focus: Focus,
    pub input: TextInput,
    pub overlay: Option<Overlay>,
    pub toast: Option<Toast>,
    /// Local time of the latest action.
    pub now: Millis,
    /// Server clock minus local clock, from the latest `welcome` or `room_state`.
    pub offset: Millis,
    pub size: (u16, u16),
    pub flash_until: Millis,
    /// The language tag sent with your messages (default: the interface's).
    pub speak_lang: Option<String>,
    /// Show times at this UTC offset in seconds instead of the local zone
    /// (tests use it so that snapshots do not depend on the machine).
    pub utc_offset: Option<i32>,
    pub pending: BTreeMap<u64, Pending>,
    next_id: u64,
    nonce_prefix: String,
    pub quit: bool,
}

/// Requests that create an event carry a nonce, so that a retry after a
/// reconnect is recognized by the server and not applied twice.
fn needs_nonce(request: &Request) -> bool {
    !matches!(
        request,
        Request::Hello { .. }
            | Request::Rooms { .. }
            | Request::Members { .. }
            | Request::Join { .. }
            | Request::Leave { .. }
            | Request::History { .. }
    )
}

/// The selectable messages of a room: the ones with text of their own.
fn is_message(event: &Event) -> bool {
    matches!(
        event,
        Event::Speech { .. } | Event::Announcement { .. } | Event::PointOfOrder { .. }
    )
}

/// Time left on a turn's clock, given the server's present time.
pub fn remaining_ms(floor: &FloorView, server_now: Millis) -> i64 {
    match floor.clock {
        ClockView::Running { deadline } => (deadline - server_now).max(0),
        ClockView::Paused { remaining_ms } => remaining_ms.max(0),
    }
}

/// The languages the interface offers, with their own names.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ru", "Русский"),
    ("zh-CN", "中文"),
    ("ar", "العربية"),
];

impl App {
    pub fn new(l10n: Localizer, bidi: BidiMode, nonce_prefix: String) -> Self {
        App {
            l10n,
            bidi,
            conn: Conn::Connecting { attempt: 0 },
            me: None,
            rooms: Vec::new(),
            views: BTreeMap::new(),
            current: None,
            wanted_room: None,
            focus: Focus::Input,
            input: TextInput::default(),
            overlay: None,
            toast: None,
            now: 0,
            offset: 0,
            size: (80, 24),
            flash_until: 0,
            speak_lang: None,
            utc_offset: None,
            pending: BTreeMap::new(),
            next_id: 1,
            nonce_prefix,
            quit: false,
        }
    }

    pub fn server_now(&self) -> Millis {
        self.now + self.offset
    }

    /// Your role, once the server has said who you are.
    pub fn role(&self) -> Option<Role> {
        self.me.as_ref().map(|p| p.role)
    }

    /// Whether your role lets you take `command` (protocol/access.rs, the
    /// table the server enforces). Before `welcome` nothing is known, and
    /// only what needs no role is offered.
    pub fn may(&self, command: Command) -> bool {
        match self.role() {
            Some(role) => command.access(role) != Access::No,
            None => command.request_kind().is_none(),
        }
    }

    pub fn my_id(&self) -> Option<&str> {
        self.me.as_ref().map(|p| p.id.as_str())
    }

    pub fn view(&self) -> Option<&RoomView> {
        self.current.as_ref().and_then(|r| self.views.get(r))
    }

    fn view_mut(&mut self) -> Option<&mut RoomView> {
        let room = self.current.clone()?;
        self.views.get_mut(&room)
    }

    pub fn state(&self) -> Option<&RoomState> {
        self.view().and_then(|v| v.state.as_ref())
    }

    pub fn summary(&self, room: &str) -> Option<&RoomSummary> {
        self.rooms.iter().find(|r| r.id == room)
    }

    /// The room's title, in the language the list was asked in (the
    /// interface's, or the closest the room has), else its id.
    pub fn room_title(&self, room: &str) -> String {
        self.summary(room)
            .map(|s| s.title.clone())
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| room.to_owned())
    }

    /// The language tag sent with what you say.
    pub fn speaking_lang(&self) -> String {
        self.speak_lang.clone().unwrap_or_else(|| self.l10n.tag())
    }

    fn toast(&mut self, text: String, kind: ToastKind) {
        self.toast = Some(Toast {
            text,
            kind,
            until: self.now + TOAST_MS,
        });
    }

    /// A warning from before the start (a token file others may read),
    /// shown as the first notice.
    pub fn warn(&mut self, text: String, now: Millis) {
        self.now = now;
        self.toast(text, ToastKind::Error);
    }

    fn info(&mut self, id: &str) {
        let text = self.l10n.t(id);
        self.toast(text, ToastKind::Info);
    }

    fn error(&mut self, id: &str) {
        let text = self.l10n.t(id);
        self.toast(text, ToastKind::Error);
    }

    /// Page size for Alt+PageUp and Alt+PageDown in the participants.
    fn members_page(&self) -> usize {
        let drawn = self.view().map_or(0, |v| v.members.render.get().height);
        drawn.saturating_sub(1).max(3)
    }

    /// Page size for PageUp and PageDown.
    fn page(&self) -> usize {
        let drawn = self.view().map_or(0, |v| v.render.get().height);
        if drawn > 2 {
            drawn - 1
        } else {
            usize::from(self.size.1.saturating_sub(10)).max(3)
        }
    }

    /// Queue a request: sent now when online, kept and sent on reconnect otherwise.
    fn send(&mut self, request: Request) -> (u64, Vec<Effect>) {
        let id = self.next_id;
        self.next_id += 1;
        let mut envelope = Envelope::new(request).with_id(id);
        if needs_nonce(&envelope.request) {
            envelope = envelope.with_nonce(format!("{}-{id}", self.nonce_prefix));
        }
        let tracked = needs_nonce(&envelope.request)
            || matches!(
                envelope.request,
                Request::Join { .. } | Request::History { .. }
            );
        if tracked {
            self.pending.insert(
                id,
                Pending {
                    envelope: envelope.clone(),
                    created: self.now,
                },
            );
        }
        if self.conn == Conn::Online {
            (id, vec![Effect::Send(envelope)])
        } else {
            if needs_nonce(&envelope.request) {
                self.info("notice-queued-offline");
            }
            (id, Vec::new())
        }
    }

    fn send_only(&mut self, request: Request) -> Vec<Effect> {
        self.send(request).1
    }

    /// Make `room` the current room, joining it if needed.
    pub fn switch_room(&mut self, room: &str) -> Vec<Effect> {
        if self.current.as_deref() == Some(room) {
            return Vec::new();
        }
        if let Some(previous) = self.view_mut() {
            previous.unread_marker = None;
            previous.selected = None;
        }
        self.current = Some(room.to_owned());
        let view = self.views.entry(room.to_owned()).or_default();
        view.scroll = 0;
        view.unread_marker = (view.unread() > 0).then_some(view.read_seq);
        view.read_seq = view.last_seq;
        if view.joined || self.conn != Conn::Online {
            return Vec::new();
        }
        let since = (view.last_seq > 0).then_some(view.last_seq);
        self.send_only(Request::Join {
            room: room.to_owned(),
            since,
        })
    }

    fn step_room(&mut self, forward: bool) -> Vec<Effect> {
        if self.rooms.is_empty() {
            return Vec::new();
        }
        let here = self
            .current
            .as_ref()
            .and_then(|c| self.rooms.iter().position(|r| &r.id == c))
            .unwrap_or(0);
        let n = self.rooms.len();
        let next = if forward {
            (here + 1) % n
        } else {
            (here + n - 1) % n
        };
        let room = self.rooms[next].id.clone();
        self.switch_room(&room)
    }

    /// Whether your role may ever speak (`say`), with the floor or without.
    pub fn may_speak(&self) -> bool {
        self.role().is_some_and(|role| {
            dais_protocol::access::access("say", role).is_some_and(|a| a != Access::No)
        })
    }

    /// Whether the message `seq` of the current room is yours.
    fn is_mine(&self, seq: Seq) -> bool {
        let author = self
            .view()
            .and_then(|v| v.events.get(&seq))
            .and_then(|e| e.event.author());
        author.is_some_and(|a| Some(a.id.as_str()) == self.my_id())
    }

    fn my_place(&self) -> Option<usize> {
        let me = self.my_id()?;
        self.state()?.queue.iter().position(|e| e.who.id == me)
    }
}

/// Apply one action. `now` is the local clock in milliseconds.
pub fn update(app: &mut App, action: Action, now: Millis) -> Vec<Effect> {
    app.now = now;
    if app.toast.as_ref().is_some_and(|t| t.until <= now) {
        app.toast = None;
    }
    match action {
        Action::Key(key) => on_key(app, key),
        Action::Paste(text) => {
            on_paste(app, &text);
            Vec::new()
        }
        Action::Resize(w, h) => {
            app.size = (w, h);
            Vec::new()
        }
        Action::Tick => {
            let mut effects = alerts(app);
            effects.extend(more_members(app));
            effects
        }
        Action::Net(event) => on_net(app, event),
        Action::Command(command) => run_command(app, command),
    }
}

// ---------------------------------------------------------------- network

fn on_net(app: &mut App, event: NetEvent) -> Vec<Effect> {
    match event {
        NetEvent::Connecting { attempt } => {
            app.conn = Conn::Connecting { attempt };
            Vec::new()
        }
        NetEvent::Disconnected { retry_in_ms } => {
            app.conn = Conn::Offline {
                retry_at: app.now + retry_in_ms as Millis,
            };
            disconnected(app);
            Vec::new()
        }
        NetEvent::Busy { retry_in_ms } => {
            app.conn = Conn::Busy {
                retry_at: app.now + retry_in_ms as Millis,
            };
            disconnected(app);
            Vec::new()
        }
        NetEvent::Fatal(code) => {
            app.conn = Conn::Failed(code);
            let text = error_text(&app.l10n, code);
            app.toast(text, ToastKind::Error);
            Vec::new()
        }
        NetEvent::Frame(frame) => on_frame(app, *frame),
    }
}

/// What no longer holds once the connection is gone: every join, and every
/// answer still awaited except those the outbox resends.
fn disconnected(app: &mut App) {
    for view in app.views.values_mut() {
        view.joined = false;
        view.history_pending = false;
        view.members.disconnected();
    }
}

fn on_frame(app: &mut App, frame: ServerFrame) -> Vec<Effect> {
    match frame {
        ServerFrame::Welcome {
            participant,
            rooms,
            server_time,
            ..
        } => on_welcome(app, participant, rooms, server_time),
        // A duplicate (a retried nonce) confirms the same event: same handling.
        ServerFrame::Ok {
            id, room, seq, you, ..
        } => on_ok(app, id, room, seq, you),
        ServerFrame::Error { id, code, .. } => {
            on_error(app, id, code);
            Vec::new()
        }
        ServerFrame::Event(frame) => {
            on_event(app, frame);
            Vec::new()
        }
        ServerFrame::RoomState(state) => {
            app.offset = state.server_time - app.now;
            let room = state.room.clone();
            let view = app.views.entry(room).or_default();
            view.members.counts = state.counts.clone();
            view.state = Some(*state);
            alerts(app)
        }
        ServerFrame::Presence(presence) => on_presence(app, *presence),
        ServerFrame::Members {
            id,
            room,
            members,
            next,
            total,
        } => on_members(app, id, room, members, next, total),
        ServerFrame::History {
            id,
            room,
            events,
            more,
        } => {
            if let Some(RequestId::Number(id)) = id {
                app.pending.remove(&id);
            }
            let view = app.views.entry(room).or_default();
            view.history_pending = false;
            view.history_exhausted = !more;
            // Older events: what they say is already counted in the room's
            // state, the member list and your speaking time.
            for frame in events {
                view.insert(frame);
            }
            Vec::new()
        }
        ServerFrame::Rooms { rooms, .. } => {
            app.rooms = rooms;
            Vec::new()
        }
        ServerFrame::RoomUpdate { room } => {
            room_update(app, room);
            Vec::new()
        }
        // The fairness figures have no view yet.
        ServerFrame::Fairness { .. } => Vec::new(),
        ServerFrame::RoomRemoved { room } => {
            app.rooms.retain(|r| r.id != room);
            Vec::new()
        }
    }
}

/// One room of the list changed, or is new: it replaces its old line, or
/// comes last.
pub fn room_update(app: &mut App, room: RoomSummary) {
    match app.rooms.iter_mut().find(|r| r.id == room.id) {
        Some(line) => *line = room,
        None => app.rooms.push(room),
    }
}

/// Who came, went or left a room.
fn on_presence(app: &mut App, presence: Presence) -> Vec<Effect> {
    let Presence {
        room,
        changes,
        more,
        counts,
        ..
    } = presence;
    let Some(view) = app.views.get_mut(&room) else {
        return Vec::new();
    };
    if let Some(state) = view.state.as_mut() {
        state.counts = counts.clone();
    }
    match view.members.presence(&changes, more, &counts) {
        members::Next::Restart => request_members(app, &room, true),
        members::Next::Nothing => Vec::new(),
    }
}

/// A page of a room's member list.
fn on_members(
    app: &mut App,
    id: Option<RequestId>,
    room: RoomId,
    page: Vec<MemberView>,
    next: Option<String>,
    total: u32,
) -> Vec<Effect> {
    let id = match id {
        Some(RequestId::Number(id)) => Some(id),
        _ => None,
    };
    let Some(view) = app.views.get_mut(&room) else {
        return Vec::new();
    };
    match view.members.page(id, page, next, total) {
        (true, members::Next::Restart) => request_members(app, &room, true),
        // A long pane may show the end of the page already.
        (true, members::Next::Nothing) => more_members(app),
        (false, _) => Vec::new(),
    }
}

/// Ask for a page of `room`'s members: the first when `restart`, else the
/// one after what is loaded. Only online, and one at a time per room.
fn request_members(app: &mut App, room: &str, restart: bool) -> Vec<Effect> {
    if app.conn != Conn::Online {
        return Vec::new();
    }
    let Some(view) = app.views.get(room) else {
        return Vec::new();
    };
    if !restart && !view.members.wants_more() {
        return Vec::new();
    }
    let after = if restart { None } else { view.members.cursor() };
    let (id, effects) = app.send(Request::Members {
        room: room.to_owned(),
        after,
        limit: Some(MEMBERS_PAGE),
        stakeholder: None,
        role: None,
        online: None,
        prefix: None,
    });
    if let Some(view) = app.views.get_mut(room) {
        view.members.requested(id, restart);
    }
    effects
}

/// The next page of the current room's members, when the last draw of the
/// pane came within a screen of the end of what is loaded.
fn more_members(app: &mut App) -> Vec<Effect> {
    let Some(room) = app.current.clone() else {
        return Vec::new();
    };
    let Some(view) = app.views.get(&room) else {
        return Vec::new();
    };
    let drawn = view.members.render.get();
    if drawn.height == 0 || !view.members.wants_more() || !view.joined {
        return Vec::new();
    }
    // Where the reader is now: scrolled since the draw, maybe.
    let scroll = view
        .members
        .scroll
        .min(drawn.rows.saturating_sub(drawn.height));
    let near_end = scroll + 2 * drawn.height >= drawn.rows;
    if near_end {
        request_members(app, &room, false)
    } else {
        Vec::new()
    }
}

fn on_welcome(
    app: &mut App,
    participant: Participant,
    rooms: Vec<RoomSummary>,
    server_time: Millis,
) -> Vec<Effect> {
    app.conn = Conn::Online;
    app.offset = server_time - app.now;
    app.me = Some(participant);
    app.rooms = rooms;
    // Joins and history requests of the old connection are asked afresh.
    app.pending.retain(|_, p| needs_nonce(&p.envelope.request));
    let mut effects = Vec::new();
    if app.current.is_none() {
        let first = app
            .wanted_room
            .clone()
            .filter(|w| app.rooms.iter().any(|r| &r.id == w))
            .or_else(|| app.rooms.first().map(|r| r.id.clone()));
        if let Some(room) = first {
            app.current = Some(room.clone());
            app.views.entry(room).or_default();
        }
    }
    let rejoin: Vec<(RoomId, Seq)> = app
        .views
        .iter()
        .map(|(room, view)| (room.clone(), view.last_seq))
        .collect();
    for (room, last_seq) in rejoin {
        let since = (last_seq > 0).then_some(last_seq);
        effects.extend(app.send_only(Request::Join { room, since }));
    }
    // What was typed or pressed while offline goes out now, with the nonce
    // it was given, unless it is too old to still mean anything.
    let mut dropped = 0;
    let now = app.now;
    let ids: Vec<u64> = app.pending.keys().copied().collect();
    for id in ids {
        let Some(pending) = app.pending.get(&id) else {
            continue;
        };
        if !needs_nonce(&pending.envelope.request) {
            continue;
        }
        if now - pending.created > OUTBOX_MAX_AGE_MS {
            app.pending.remove(&id);
            mark_echo_failed(app, id);
            dropped += 1;
        } else {
            effects.push(Effect::Send(pending.envelope.clone()));
        }
    }
    if dropped > 0 {
        let text = app.l10n.ta("notice-not-sent", &args!["count" => dropped]);
        app.toast(text, ToastKind::Error);
    }
    effects
}

fn mark_echo_failed(app: &mut App, id: u64) {
    for view in app.views.values_mut() {
        for echo in &mut view.echoes {
            if echo.id == id {
                echo.failed = true;
            }
        }
    }
}

fn on_ok(
    app: &mut App,
    id: Option<RequestId>,
    room: Option<RoomId>,
    seq: Option<Seq>,
    you: Option<You>,
) -> Vec<Effect> {
    let Some(RequestId::Number(id)) = id else {
        return Vec::new();
    };
    let Some(pending) = app.pending.remove(&id) else {
        return Vec::new();
    };
    match pending.envelope.request {
        Request::Join { room: joined, .. } => {
            let first_visit = app
                .views
                .get(&joined)
                .is_some_and(|v| v.read_seq == 0 && v.unread_marker.is_none());
            let is_current = app.current.as_deref() == Some(joined.as_str());
            if let Some(view) = app.views.get_mut(&joined) {
                view.joined = true;
                // On a first visit everything before now counts as read.
                if first_visit || (is_current && view.scroll == 0) {
                    view.read_seq = view.last_seq;
                }
                if let Some(you) = you {
                    view.you = Some(you);
                    view.you_seq = seq.unwrap_or(view.last_seq);
                }
            }
            // Who is there: the first page, again after every (re)join.
            return request_members(app, &joined, true);
        }
        Request::Say { .. } => {
            let room = room.or_else(|| pending.envelope.request.room().map(str::to_owned));
            if let Some(view) = room.and_then(|r| app.views.get_mut(&r)) {
                view.echoes.retain(|e| e.id != id);
            }
        }
        Request::Vote { .. } => app.info("notice-vote-counted"),
        _ => {}
    }
    Vec::new()
}

fn on_error(app: &mut App, id: Option<RequestId>, code: ErrorCode) {
    let pending = match id {
        Some(RequestId::Number(id)) => {
            for view in app.views.values_mut() {
                view.members.refused(id);
            }
            app.pending.remove(&id).map(|p| (id, p))
        }
        _ => None,
    };
    if let Some((id, pending)) = &pending {
        match &pending.envelope.request {
            Request::Say { room, text, .. } => {
                if let Some(view) = app.views.get_mut(room) {
                    view.echoes.retain(|e| e.id != *id);
                }
                // Give the words back, so that nothing typed is lost.
                if app.input.is_empty() {
                    app.input.set(text);
                }
            }
            Request::History { room, .. } => {
                if let Some(view) = app.views.get_mut(room) {
                    view.history_pending = false;
                }
            }
            _ => {}
        }
    }
    let text = error_text(&app.l10n, code);
    app.toast(text, ToastKind::Error);
}

/// The localized sentence for an error code.
pub fn error_text(l10n: &Localizer, code: ErrorCode) -> String {
    let id = format!("error-{}", code.as_str().replace('_', "-"));
    if l10n.has(&id) {
        l10n.t(&id)
    } else {
        l10n.ta("error-unknown", &args!["code" => code.as_str()])
    }
}

fn on_event(app: &mut App, frame: EventFrame) {
    let me = app.my_id().map(str::to_owned);
    let room = frame.room.clone();
    let is_current = app.current.as_deref() == Some(room.as_str());
    let about_me = |who: &Actor| Some(&who.id) == me.as_ref();
    let notice = match &frame.event {
        Event::Removed { who, .. } if about_me(who) => Some("notice-removed"),
        Event::Muted { who, .. } if about_me(who) => Some("notice-muted"),
        Event::Unmuted { who, .. } if about_me(who) => Some("notice-unmuted"),
        _ => None,
    };
    let view = app.views.entry(room).or_default();
    // An event received twice (a replay after a reconnect) counts once.
    if !view.events.contains_key(&frame.seq) {
        view.follow(&frame.event, me.as_deref(), frame.seq);
    }
    view.insert(frame);
    if is_current && view.scroll == 0 {
        view.read_seq = view.last_seq;
    }
    if let Some(id) = notice {
        app.info(id);
    }
}

/// The bell and the flash: when the floor comes to you, when you are next
/// in line, and ten seconds before your time runs out. Each once.
fn alerts(app: &mut App) -> Vec<Effect> {
    let Some(me) = app.my_id().map(str::to_owned) else {
        return Vec::new();
    };
    let server_now = app.server_now();
    let mut notices = Vec::new();
    for view in app.views.values_mut() {
        let Some(state) = &view.state else {
            continue;
        };
        let holding = state.floor.as_ref().filter(|f| f.holder.id == me);
        if let Some(floor) = holding {
            if view.alerted_turn != Some(floor.turn) {
                view.alerted_turn = Some(floor.turn);
                notices.push("notice-your-floor");
            }
            let left = remaining_ms(floor, server_now);
            let running = matches!(floor.clock, ClockView::Running { .. });
            // A turn of ten seconds or less would be warned of its end as it
            // begins, on top of the notice that the floor is yours.
            let warn = running && floor.allotted_ms > 10_000 && left > 0 && left <= 10_000;
            if warn && view.alerted_ten != Some(floor.turn) {
                view.alerted_ten = Some(floor.turn);
                notices.push("notice-ten-seconds");
            }
        }
        let next_in_queue = state.queue.first().is_some_and(|e| e.who.id == me);
        let next_in_round = state
            .round
            .as_ref()
            .and_then(|r| r.remaining.first())
            .is_some_and(|id| *id == me);
        let next = (next_in_queue || next_in_round) && holding.is_none();
        if next && !view.alerted_next {
            notices.push("notice-next-in-line");
        }
        view.alerted_next = next;
    }
    if notices.is_empty() {
        return Vec::new();
    }
    app.flash_until = app.now + FLASH_MS;
    if let Some(last) = notices.last() {
        app.info(last);
    }
    vec![Effect::Bell]
}

// ---------------------------------------------------------------- keys

fn on_paste(app: &mut App, text: &str) {
    match &mut app.overlay {
        Some(Overlay::Prompt { input, .. }) => input.insert(text),
        Some(Overlay::Palette { filter, .. }) => filter.insert(text),
        Some(_) => {}
        None => {
            app.focus = Focus::Input;
            app.input.insert(text);
        }
    }
}

fn on_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    if app.overlay.is_some() {
        return overlay_key(app, key);
    }
    let transcript = app.focus == Focus::Transcript;
    if let Some(command) = keys::lookup(key.code, key.modifiers, transcript) {
        let command = resolve_toggle(app, command, key.code);
        return run_command(app, command);
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    // Alt with the arrows and pages scrolls the participants.
    if key.modifiers.contains(KeyModifiers::ALT) {
        let page = app.members_page() as isize;
        let lines = match key.code {
            KeyCode::Up => Some(-1),
            KeyCode::Down => Some(1),
            KeyCode::PageUp => Some(-page),
            KeyCode::PageDown => Some(page),
            KeyCode::Home => Some(isize::MIN / 2),
            KeyCode::End => Some(isize::MAX / 2),
            _ => None,
        };
        if let Some(lines) = lines {
            return scroll_members(app, lines);
        }
    }
    match key.code {
        KeyCode::PageUp => return scroll_up(app, app.page()),
        KeyCode::PageDown => {
            scroll_down(app, app.page());
            return Vec::new();
        }
        KeyCode::Home if ctrl || transcript => return scroll_up(app, usize::MAX / 2),
        KeyCode::End if ctrl || transcript => {
            scroll_down(app, usize::MAX);
            return Vec::new();
        }
        _ => {}
    }
    if transcript {
        transcript_key(app, key)
    } else {
        input_key(app, key)
    }
}

/// A key bound to one half of a pair acts on the half that applies now.
fn resolve_toggle(app: &App, command: Command, code: KeyCode) -> Command {
    let state = app.state();
    let paused = state
        .and_then(|s| s.floor.as_ref())
        .is_some_and(|f| matches!(f.clock, ClockView::Paused { .. }));
    match command {
        Command::PauseClock if paused => Command::ResumeClock,
        Command::CloseList if state.is_some_and(|s| s.list_closed) => Command::OpenList,
        Command::RoomLock if state.is_some_and(|s| s.locked) => Command::RoomUnlock,
        Command::RequestFloor if code == KeyCode::F(2) && app.my_place().is_some() => {
            Command::Withdraw
        }
        other => other,
    }
}

fn input_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let alt = key.modifiers.contains(KeyModifiers::ALT);
    let shift = key.modifiers.contains(KeyModifiers::SHIFT);
    match key.code {
        KeyCode::Enter if alt || shift => app.input.insert("\n"),
        KeyCode::Char('j') if ctrl => app.input.insert("\n"),
        KeyCode::Enter => return submit(app),
        KeyCode::Char('a') if ctrl => app.input.home(),
        KeyCode::Char('e') if ctrl => app.input.end(),
        KeyCode::Char('u') if ctrl => app.input.kill_to_start(),
        KeyCode::Char('w') if ctrl => app.input.kill_word(),
        KeyCode::Char(c) if !ctrl && !alt => app.input.insert_char(c),
        KeyCode::Backspace => app.input.backspace(),
        KeyCode::Delete => app.input.delete(),
        KeyCode::Left => app.input.left(),
        KeyCode::Right => app.input.right(),
        KeyCode::Home => app.input.home(),
        KeyCode::End => app.input.end(),
        KeyCode::Up if app.input.is_empty() => {
            app.focus = Focus::Transcript;
            select_step(app, -1);
        }
        KeyCode::Esc => app.focus = Focus::Transcript,
        _ => {}
    }
    Vec::new()
}

fn transcript_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Up => select_step(app, -1),
        KeyCode::Down => select_step(app, 1),
        KeyCode::Esc | KeyCode::Enter => {
            app.focus = Focus::Input;
            if let Some(view) = app.view_mut() {
                view.selected = None;
            }
        }
        _ => {}
    }
    Vec::new()
}

fn select_step(app: &mut App, step: i32) {
    let Some(view) = app.view_mut() else {
        return;
    };
    let messages: Vec<Seq> = view
        .events
        .iter()
        .filter(|(_, e)| is_message(&e.event))
        .map(|(s, _)| *s)
        .collect();
    let Some(last) = messages.last().copied() else {
        return;
    };
    let next = match view
        .selected
        .and_then(|s| messages.iter().position(|m| *m == s))
    {
        None => last,
        Some(i) if step < 0 => messages[i.saturating_sub(1)],
        Some(i) => messages[(i + 1).min(messages.len() - 1)],
    };
    view.selected = Some(next);
}

fn scroll_up(app: &mut App, lines: usize) -> Vec<Effect> {
    let Some(room) = app.current.clone() else {
        return Vec::new();
    };
    let Some(view) = app.views.get_mut(&room) else {
        return Vec::new();
    };
    let info = view.render.get();
    let base = info.scroll;
    let max = info
        .total_lines
        .map_or(usize::MAX, |t| t.saturating_sub(info.height));
    view.scroll = base.saturating_add(lines).min(max);
    view.selected = None;
    // Near the top of what is loaded: fetch the page before it.
    let near_top = info
        .total_lines
        .is_none_or(|t| view.scroll + 2 * info.height.max(1) >= t);
    if near_top && view.has_older() && !view.history_pending && app.conn == Conn::Online {
        view.history_pending = true;
        let before = view.oldest();
        return app.send_only(Request::History {
            room,
            before,
            limit: Some(HISTORY_PAGE),
        });
    }
    Vec::new()
}

/// Scroll the participants by `lines` (down when positive), and fetch the
/// next page of them before the reader reaches the end of what is loaded.
fn scroll_members(app: &mut App, lines: isize) -> Vec<Effect> {
    let Some(view) = app.view_mut() else {
        return Vec::new();
    };
    let drawn = view.members.render.get();
    let max = drawn.rows.saturating_sub(drawn.height);
    // From where the reader is, which several keys may have moved since
    // the last draw.
    let from = view.members.scroll.min(max);
    view.members.scroll = from.saturating_add_signed(lines).min(max);
    more_members(app)
}

fn scroll_down(app: &mut App, lines: usize) {
    if let Some(view) = app.view_mut() {
        let base = view.render.get().scroll;
        view.scroll = base.saturating_sub(lines);
        view.selected = None;
        if view.scroll == 0 {
            view.read_seq = view.last_seq;
        }
    }
}

/// Enter in the input line: a slash command or a speech.
fn submit(app: &mut App) -> Vec<Effect> {
    let text = app.input.text().trim().to_owned();
    if text.is_empty() {
        return Vec::new();
    }
    if let Some(rest) = text.strip_prefix('/').filter(|r| !r.starts_with('/')) {
        let (name, argument) = match rest.split_once(char::is_whitespace) {
            Some((name, argument)) => (name, argument.trim()),
            None => (rest, ""),
        };
        let Some(command) = Command::from_name(name) else {
            let text = app
                .l10n
                .ta("notice-unknown-command", &args!["name" => name]);
            app.toast(text, ToastKind::Error);
            return Vec::new();
        };
        app.input.take();
        return slash_command(app, command, argument);
    }
    let text = match text.strip_prefix("//") {
        Some(rest) => format!("/{rest}"),
        None => text,
    };
    let Some(room) = app.current.clone() else {
        app.error("notice-no-room");
        return Vec::new();
    };
    app.input.take();
    let lang = app.speaking_lang();
    let (id, effects) = app.send(Request::Say {
        room: room.clone(),
        text: text.clone(),
        lang: lang.clone(),
    });
    if let Some(view) = app.views.get_mut(&room) {
        view.echoes.push(Echo {
            id,
            text,
            lang,
            failed: false,
        });
        view.scroll = 0;
    }
    effects
}

/// `/announce text`, `/poll question`, `/time-limit 90`: a command whose
/// prompt is answered on the same line. Without an argument, the prompt opens.
fn slash_command(app: &mut App, command: Command, argument: &str) -> Vec<Effect> {
    let purpose = match command {
        Command::Announce => Some(PromptFor::Announce),
        Command::PointOfOrder => Some(PromptFor::PointOfOrder),
        Command::SetTimeLimit => Some(PromptFor::TimeLimit),
        Command::PollOpen => Some(PromptFor::PollQuestion),
        _ => None,
    };
    match purpose {
        Some(purpose) if !argument.is_empty() && allowed(app, command) => {
            prompt_done(app, purpose, argument.to_owned())
        }
        _ => run_command(app, command),
    }
}

// ---------------------------------------------------------------- commands

/// Whether your role allows `command`; if not, say so.
fn allowed(app: &mut App, command: Command) -> bool {
    if !app.may(command) {
        let text = error_text(&app.l10n, ErrorCode::Forbidden);
        app.toast(text, ToastKind::Error);
        return false;
    }
    true
}

/// Carry out a command, or open the picker or prompt it needs first.
pub fn run_command(app: &mut App, command: Command) -> Vec<Effect> {
    match command {
        Command::Help => {
            app.overlay = Some(Overlay::Help { scroll: 0 });
            return Vec::new();
        }
        Command::Palette => {
            app.overlay = Some(Overlay::Palette {
                filter: TextInput::default(),
                selected: 0,
            });
            return Vec::new();
        }
        Command::Quit => {
            app.quit = true;
            return vec![Effect::Quit];
        }
        Command::Focus => {
            app.focus = match app.focus {
                Focus::Input => Focus::Transcript,
                Focus::Transcript => Focus::Input,
            };
            if app.focus == Focus::Transcript {
                select_step(app, -1);
            }
            return Vec::new();
        }
        Command::NextRoom => return app.step_room(true),
        Command::PrevRoom => return app.step_room(false),
        Command::PickRoom => {
            let items = app
                .rooms
                .iter()
                .map(|r| PickItem {
                    label: app.room_title(&r.id),
                    value: PickValue::Room(r.id.clone()),
                })
                .collect();
            open_pick(app, "pick-room", items, PickFor::Room);
            return Vec::new();
        }
        Command::Language => {
            let items = LANGUAGES
                .iter()
                .map(|(tag, name)| PickItem {
                    label: (*name).to_owned(),
                    value: PickValue::Lang(tag),
                })
                .collect();
            open_pick(app, "pick-language", items, PickFor::Language);
            return Vec::new();
        }
        _ => {}
    }
    if !allowed(app, command) {
        return Vec::new();
    }
    let Some(room) = app.current.clone() else {
        app.error("notice-no-room");
        return Vec::new();
    };
    let selected = app.view().and_then(|v| v.selected);
    let r = room.clone();
    let request = match command {
        Command::RequestFloor => Request::RequestFloor {
            room: r,
            class: EntryClass::Speech,
        },
        Command::RequestClarification => Request::RequestFloor {
            room: r,
            class: EntryClass::ClarifyingQuestion,
        },
        Command::Withdraw => Request::Withdraw { room: r },
        Command::Yield => Request::Yield { room: r, to: None },
        Command::Pass => Request::Pass { room: r },
        Command::Revoke => Request::Revoke {
            room: r,
            reason: None,
        },
        Command::PauseClock => Request::Pause { room: r },
        Command::ResumeClock => Request::Resume { room: r },
        Command::StartRound => Request::StartRound { room: r },
        Command::CloseList => Request::CloseList {
            room: r,
            reason: None,
        },
        Command::OpenList => Request::OpenList { room: r },
        Command::PollClose => Request::PollClose { room: r },
        Command::RoomLock => Request::RoomLock { room: r },
        Command::RoomUnlock => Request::RoomUnlock { room: r },
        Command::NextSpeaker => Request::Next {
            room: r,
            turn: app.state().and_then(|s| s.floor.as_ref()).map(|f| f.turn),
        },
        Command::RightOfReply => {
            let Some(to) = selected else {
                app.info("notice-select-message");
                return Vec::new();
            };
            Request::RequestReply { room: r, to }
        }
        Command::ToggleOriginal => {
            let Some(seq) = selected else {
                app.info("notice-select-message");
                return Vec::new();
            };
            if let Some(view) = app.view_mut() {
                if !view.show_original.remove(&seq) {
                    view.show_original.insert(seq);
                }
            }
            return Vec::new();
        }
        Command::Interpret => {
            let Some(of) = selected else {
                app.info("notice-select-message");
                return Vec::new();
            };
            // A delegate or a chair interprets their own words only.
            let own_only = app.role().is_some_and(|r| command.access(r) == Access::Own);
            if own_only && !app.is_mine(of) {
                app.error("notice-interpret-own");
                return Vec::new();
            }
            open_prompt(app, PromptFor::Interpret { of });
            return Vec::new();
        }
        Command::PointOfOrder => {
            open_prompt(app, PromptFor::PointOfOrder);
            return Vec::new();
        }
        Command::Announce => {
            open_prompt(app, PromptFor::Announce);
            return Vec::new();
        }
        Command::SetTimeLimit => {
            open_prompt(app, PromptFor::TimeLimit);
            return Vec::new();
        }
        Command::PollOpen => {
            open_prompt(app, PromptFor::PollQuestion);
            return Vec::new();
        }
        Command::RoomCreate => {
            open_prompt(app, PromptFor::RoomId);
            return Vec::new();
        }
        Command::Rule => {
            let points: Vec<PickItem> = app
                .state()
                .map(|s| {
                    s.points_of_order
                        .iter()
                        .map(|p| {
                            let by = names::marked(&app.l10n, &p.by);
                            // room_state cuts long points short; the event has them whole.
                            let more = if p.truncated { "…" } else { "" };
                            PickItem {
                                label: match &p.text {
                                    Some(text) => format!("{by} — {text}{more}"),
                                    None => by,
                                },
                                value: PickValue::Point(Some(p.seq)),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut points = points;
            if points.len() > 1 {
                points.push(PickItem {
                    label: app.l10n.t("pick-point-all"),
                    value: PickValue::Point(None),
                });
            }
            match points.as_slice() {
                [] => app.info("notice-no-points"),
                [only] => {
                    if let PickValue::Point(point) = only.value {
                        open_prompt(app, PromptFor::RuleText { point });
                    }
                }
                _ => open_pick(app, "pick-point", points, PickFor::RulePoint),
            }
            return Vec::new();
        }
        Command::Vote => {
            let Some(poll) = app.state().and_then(|s| s.poll.clone()) else {
                app.info("notice-no-poll");
                return Vec::new();
            };
            let items = poll
                .options
                .iter()
                .enumerate()
                .map(|(i, option)| PickItem {
                    label: option_label(&app.l10n, option),
                    value: PickValue::Option(i as u32),
                })
                .collect();
            open_pick(app, "pick-vote", items, PickFor::Vote);
            return Vec::new();
        }
        Command::SetMode => {
            let items = [
                Mode::SpeakersList,
                Mode::RoundRobin,
                Mode::Open,
                Mode::Suspended,
            ]
            .into_iter()
            .map(|mode| PickItem {
                label: app.l10n.t(&mode_id(mode)),
                value: PickValue::Mode(mode),
            })
            .collect();
            open_pick(app, "pick-mode", items, PickFor::SetMode);
            return Vec::new();
        }
        Command::Grant | Command::YieldTo | Command::Mute | Command::Unmute | Command::Remove => {
            let purpose = match command {
                Command::Grant => PickFor::Grant,
                Command::YieldTo => PickFor::YieldTo,
                Command::Mute => PickFor::Mute,
                Command::Unmute => PickFor::Unmute,
                _ => PickFor::Remove,
            };
            let items = member_items(app, &purpose);
            if items.is_empty() {
                app.info("notice-nobody");
            } else {
                open_pick(app, "pick-participant", items, purpose);
            }
            return Vec::new();
        }
        Command::ReorderQueue => {
            let order: Vec<Actor> = app
                .state()
                .map(|s| s.queue.iter().map(|e| e.who.clone()).collect())
                .unwrap_or_default();
            if order.len() < 2 {
                app.info("notice-queue-short");
            } else {
                app.overlay = Some(Overlay::Reorder { order, selected: 0 });
            }
            return Vec::new();
        }
        Command::ClearQueue => {
            confirm(
                app,
                Request::ClearQueue {
                    room: r,
                    reason: None,
                },
            );
            return Vec::new();
        }
        Command::RoomClose => {
            confirm(app, Request::RoomClose { room: r });
            return Vec::new();
        }
        // Handled above.
        Command::Help
        | Command::Palette
        | Command::Quit
        | Command::Focus
        | Command::NextRoom
        | Command::PrevRoom
        | Command::PickRoom
        | Command::Language => return Vec::new(),
    };
    app.send_only(request)
}

/// A poll option as shown: the server's default options (support, object,
/// abstain) in the interface language, any other option as the chair wrote it.
pub fn option_label(l10n: &Localizer, option: &str) -> String {
    match option {
        "support" | "object" | "abstain" => l10n.t(&format!("poll-option-{option}")),
        other => other.to_owned(),
    }
}

/// The Fluent id of a mode's name.
pub fn mode_id(mode: Mode) -> String {
    format!("mode-{}", mode.as_str().replace('_', "-"))
}

/// A participant as a picker lists them: delegation and name, and the
/// guest badge for a guest.
fn member_label(l10n: &Localizer, who: &Actor) -> String {
    let label = if who.delegation.is_empty() || who.delegation == who.name {
        who.name.clone()
    } else {
        format!("{} — {}", who.delegation, who.name)
    };
    names::mark(l10n, who, &label)
}

/// The participants a picker offers: the loaded part of the member list
/// (the first pages; scrolling the participants loads more), with those
/// waiting for the floor first when the chair gives it.
fn member_items(app: &App, purpose: &PickFor) -> Vec<PickItem> {
    let Some(view) = app.view() else {
        return Vec::new();
    };
    let me = app.my_id().unwrap_or_default();
    let mut items: Vec<PickItem> = Vec::new();
    if *purpose == PickFor::Grant {
        // Those waiting come first, in their order.
        for entry in view.state.iter().flat_map(|s| &s.queue) {
            items.push(PickItem {
                label: member_label(&app.l10n, &entry.who),
                value: PickValue::Participant(entry.who.id.clone()),
            });
        }
    }
    for member in view.members.loaded() {
        let who = &member.who;
        let listed = items
            .iter()
            .any(|i| i.value == PickValue::Participant(who.id.clone()));
        // The server refuses the floor to observers (cannot_hold_floor),
        // and a chair's mute or removal of another chair.
        let fits = match purpose {
            PickFor::Grant => dais_protocol::access::can_hold_floor(who.role),
            PickFor::YieldTo => who.id != me && who.role == Role::Delegate,
            PickFor::Unmute => member.muted,
            PickFor::Mute => {
                !member.muted && who.id != me && dais_protocol::access::may_discipline(who.role)
            }
            PickFor::Remove => who.id != me && dais_protocol::access::may_discipline(who.role),
            _ => true,
        };
        if fits && !listed {
            items.push(PickItem {
                label: member_label(&app.l10n, who),
                value: PickValue::Participant(who.id.clone()),
            });
        }
    }
    items
}

fn open_pick(app: &mut App, title_id: &'static str, items: Vec<PickItem>, purpose: PickFor) {
    app.overlay = Some(Overlay::Pick {
        title_id,
        items,
        selected: 0,
        purpose,
    });
}

fn open_prompt(app: &mut App, purpose: PromptFor) {
    app.overlay = Some(Overlay::Prompt {
        purpose,
        input: TextInput::default(),
    });
}

fn confirm(app: &mut App, request: Request) {
    let items = vec![
        PickItem {
            label: app.l10n.t("confirm-yes"),
            value: PickValue::Yes,
        },
        PickItem {
            label: app.l10n.t("confirm-no"),
            value: PickValue::Upheld(None),
        },
    ];
    open_pick(
        app,
        "pick-confirm",
        items,
        PickFor::Confirm(Box::new(request)),
    );
}

// ---------------------------------------------------------------- overlays

/// The palette's entries for a filter: commands you may use whose localized
/// name (or English name) contains the filter.
pub fn palette_entries(app: &App, filter: &str) -> Vec<Command> {
    let filter = filter.to_lowercase();
    Command::ALL
        .iter()
        .copied()
        .filter(|c| app.may(*c))
        .filter(|c| *c != Command::Palette)
        .filter(|c| {
            filter.is_empty()
                || c.name().contains(&filter)
                || crate::bidi::strip_isolates(&app.l10n.t(&c.label_id()))
                    .to_lowercase()
                    .contains(&filter)
        })
        .collect()
}

fn overlay_key(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    let Some(overlay) = app.overlay.take() else {
        return Vec::new();
    };
    if key.code == KeyCode::Esc
        || (key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL))
    {
        return Vec::new();
    }
    match overlay {
        Overlay::Help { scroll } => {
            let scroll = match key.code {
                KeyCode::Down | KeyCode::Char('j') => scroll + 1,
                KeyCode::Up | KeyCode::Char('k') => scroll.saturating_sub(1),
                KeyCode::PageDown => scroll + 10,
                KeyCode::PageUp => scroll.saturating_sub(10),
                KeyCode::Home => 0,
                // Any other key closes the help.
                _ => return Vec::new(),
            };
            app.overlay = Some(Overlay::Help { scroll });
            Vec::new()
        }
        Overlay::Palette {
            mut filter,
            mut selected,
        } => {
            match key.code {
                KeyCode::Enter => {
                    let entries = palette_entries(app, filter.text());
                    return match entries.get(selected) {
                        Some(command) => run_command(app, *command),
                        None => Vec::new(),
                    };
                }
                KeyCode::Up => selected = selected.saturating_sub(1),
                KeyCode::Down => selected += 1,
                KeyCode::Backspace => {
                    filter.backspace();
                    selected = 0;
                }
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                    filter.insert_char(c);
                    selected = 0;
                }
                _ => {}
            }
            let count = palette_entries(app, filter.text()).len();
            selected = selected.min(count.saturating_sub(1));
            app.overlay = Some(Overlay::Palette { filter, selected });
            Vec::new()
        }
        Overlay::Pick {
            title_id,
            items,
            mut selected,
            purpose,
        } => {
            match key.code {
                KeyCode::Enter => {
                    return match items.get(selected) {
                        Some(item) => picked(app, purpose, item.value.clone()),
                        None => Vec::new(),
                    };
                }
                KeyCode::Up => selected = selected.saturating_sub(1),
                KeyCode::Down => selected = (selected + 1).min(items.len().saturating_sub(1)),
                KeyCode::Char(c) if c.is_ascii_digit() => {
                    // 1-9 pick directly.
                    let n = c.to_digit(10).unwrap_or(0) as usize;
                    if n >= 1 && n <= items.len() {
                        return picked(app, purpose, items[n - 1].value.clone());
                    }
                }
                _ => {}
            }
            app.overlay = Some(Overlay::Pick {
                title_id,
                items,
                selected,
                purpose,
            });
            Vec::new()
        }
        Overlay::Prompt { purpose, mut input } => {
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            match key.code {
                KeyCode::Enter => {
                    let text = input.text().trim().to_owned();
                    if text.is_empty() && !purpose.optional() {
                        app.overlay = Some(Overlay::Prompt { purpose, input });
                        return Vec::new();
                    }
                    return prompt_done(app, purpose, text);
                }
                KeyCode::Char(c) if !ctrl => input.insert_char(c),
                KeyCode::Backspace => input.backspace(),
                KeyCode::Delete => input.delete(),
                KeyCode::Left => input.left(),
                KeyCode::Right => input.right(),
                KeyCode::Home => input.home(),
                KeyCode::End => input.end(),
                _ => {}
            }
            app.overlay = Some(Overlay::Prompt { purpose, input });
            Vec::new()
        }
        Overlay::Reorder {
            mut order,
            mut selected,
        } => {
            let shift = key.modifiers.contains(KeyModifiers::SHIFT);
            match key.code {
                KeyCode::Enter => {
                    let Some(room) = app.current.clone() else {
                        return Vec::new();
                    };
                    let order = order.into_iter().map(|a| a.id).collect();
                    return app.send_only(Request::ReorderQueue {
                        room,
                        order,
                        reason: None,
                    });
                }
                KeyCode::Up if shift => selected = move_entry(&mut order, selected, true),
                KeyCode::Down if shift => selected = move_entry(&mut order, selected, false),
                KeyCode::Char('+') | KeyCode::Char('K') => {
                    selected = move_entry(&mut order, selected, true)
                }
                KeyCode::Char('-') | KeyCode::Char('J') => {
                    selected = move_entry(&mut order, selected, false)
                }
                KeyCode::Up => selected = selected.saturating_sub(1),
                KeyCode::Down => selected = (selected + 1).min(order.len().saturating_sub(1)),
                _ => {}
            }
            app.overlay = Some(Overlay::Reorder { order, selected });
            Vec::new()
        }
    }
}

/// Move entry `at` one place up or down; returns where it now stands.
fn move_entry<T>(order: &mut [T], at: usize, up: bool) -> usize {
    if up && at > 0 {
        order.swap(at, at - 1);
        at - 1
    } else if !up && at + 1 < order.len() {
        order.swap(at, at + 1);
        at + 1
    } else {
        at
    }
}

fn picked(app: &mut App, purpose: PickFor, value: PickValue) -> Vec<Effect> {
    let room = app.current.clone().unwrap_or_default();
    let request = match (purpose, value) {
        (PickFor::Grant, PickValue::Participant(participant)) => Request::Grant {
            room,
            participant,
            reason: None,
        },
        (PickFor::YieldTo, PickValue::Participant(to)) => Request::Yield { room, to: Some(to) },
        (PickFor::Mute, PickValue::Participant(participant)) => Request::Mute {
            room,
            participant,
            seconds: None,
            reason: None,
        },
        (PickFor::Unmute, PickValue::Participant(participant)) => {
            Request::Unmute { room, participant }
        }
        (PickFor::Remove, PickValue::Participant(participant)) => {
            confirm(
                app,
                Request::Remove {
                    room,
                    participant,
                    reason: None,
                },
            );
            return Vec::new();
        }
        (PickFor::Vote, PickValue::Option(option)) => Request::Vote { room, option },
        (PickFor::SetMode, PickValue::Mode(mode)) => Request::SetMode { room, mode },
        (PickFor::RulePoint, PickValue::Point(point)) => {
            open_prompt(app, PromptFor::RuleText { point });
            return Vec::new();
        }
        (PickFor::RuleUpheld { point, ruling }, PickValue::Upheld(upheld)) => Request::Rule {
            room,
            point,
            all: point.is_none(),
            ruling,
            upheld,
        },
        (PickFor::Language, PickValue::Lang(tag)) => return set_language(app, tag),
        (PickFor::Room, PickValue::Room(room)) => return app.switch_room(&room),
        (PickFor::Confirm(request), PickValue::Yes) => *request,
        _ => return Vec::new(),
    };
    app.send_only(request)
}

/// Switch the interface language, and ask for the room list again with
/// its titles in that language.
pub fn set_language(app: &mut App, tag: &str) -> Vec<Effect> {
    app.l10n = Localizer::for_tag(tag);
    let tag = app.l10n.tag();
    let mut effects = vec![Effect::Language(tag.clone())];
    if app.conn == Conn::Online {
        effects.extend(app.send_only(Request::Rooms { lang: Some(tag) }));
    }
    effects
}

/// Parse a time limit: `90`, `1:30` or `2m`.
pub fn parse_seconds(text: &str) -> Option<u32> {
    let text = text.trim();
    if let Some((m, s)) = text.split_once(':') {
        let m: u32 = m.trim().parse().ok()?;
        let s: u32 = s.trim().parse().ok()?;
        return (s < 60).then_some(m * 60 + s);
    }
    if let Some(m) = text.strip_suffix('m') {
        return m.trim().parse::<u32>().ok().map(|m| m * 60);
    }
    text.strip_suffix('s').unwrap_or(text).trim().parse().ok()
}

fn prompt_done(app: &mut App, purpose: PromptFor, text: String) -> Vec<Effect> {
    let room = app.current.clone().unwrap_or_default();
    let lang = app.speaking_lang();
    let request = match purpose {
        PromptFor::PointOfOrder => Request::PointOfOrder {
            room,
            text: (!text.is_empty()).then_some(text),
        },
        // An interpretation is into the language you speak (`--speak`,
        // by default the interface's).
        PromptFor::Interpret { of } => Request::Interpret {
            room,
            of,
            text,
            lang,
        },
        PromptFor::Announce => Request::Announce { room, text, lang },
        PromptFor::TimeLimit => match parse_seconds(&text) {
            Some(seconds) => Request::SetTimeLimit { room, seconds },
            None => {
                app.error("notice-bad-time");
                return Vec::new();
            }
        },
        PromptFor::PollQuestion => {
            open_prompt(app, PromptFor::PollOptions { question: text });
            return Vec::new();
        }
        PromptFor::PollOptions { question } => {
            let options: Vec<String> = text
                .split([';', '|'])
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect();
            Request::PollOpen {
                room,
                question,
                options: (!options.is_empty()).then_some(options),
            }
        }
        PromptFor::RuleText { point } => {
            let items = [
                ("ruling-upheld", Some(true)),
                ("ruling-rejected", Some(false)),
                ("ruling-no-decision", None),
            ]
            .into_iter()
            .map(|(id, upheld)| PickItem {
                label: app.l10n.t(id),
                value: PickValue::Upheld(upheld),
            })
            .collect();
            open_pick(
                app,
                "pick-upheld",
                items,
                PickFor::RuleUpheld {
                    point,
                    ruling: text,
                },
            );
            return Vec::new();
        }
        PromptFor::RoomId => {
            open_prompt(app, PromptFor::RoomTitle { id: text });
            return Vec::new();
        }
        PromptFor::RoomTitle { id } => {
            let mut titles = BTreeMap::new();
            titles.insert(app.l10n.tag(), text);
            Request::RoomCreate {
                room: id,
                titles,
                description: String::new(),
                mode: None,
                time_limit: None,
                policy: None,
                auto_advance: None,
                public: None,
            }
        }
    };
    app.send_only(request)
}

/// Who this client signs in as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A participant's token, or the credential a guest was given in an
    /// earlier `welcome` (to come back as the same guest).
    Token(String),
    /// A new guest, by the name they chose.
    Guest(String),
}

/// The first frame of every connection: who we are, and the interface
/// language (`lang`) the room titles should come in.
pub fn hello(credential: &Credential, lang: &str) -> Envelope {
    let (token, guest) = match credential {
        Credential::Token(token) => (Some(token.clone()), None),
        Credential::Guest(name) => (None, Some(name.clone())),
    };
    Envelope::new(Request::Hello {
        protocol: PROTOCOL_VERSION,
        token,
        guest,
        lang: Some(lang.to_owned()),
    })
}

#[cfg(test)]
mod tests;
