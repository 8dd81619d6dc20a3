//! What the client knows: the connection, who you are, the rooms and
//! their record, what you are typing and which window is open. Only
//! `update` (app.rs) changes it; drawing only reads it.

use super::*;

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// How long a request may wait for a connection before we give up on it.
pub const OUTBOX_MAX_AGE_MS: Millis = 5 * 60 * 1000;
/// How long after an `unavailable` a request is sent again.
pub const RETRY_UNAVAILABLE_MS: Millis = 1000;

/// How long a notice stays in the status line.
pub(super) const TOAST_MS: Millis = 6_000;

/// How long the screen flashes when the floor comes to you.
pub(super) const FLASH_MS: Millis = 1_500;

/// Events fetched per history page.
pub(super) const HISTORY_PAGE: u32 = 100;

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
    /// What the notice says about the room, if anything: it goes as soon as
    /// that stops being true.
    pub holds: Option<Holds>,
}

/// A request sent (or waiting to be sent) and not yet answered.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub envelope: Envelope,
    pub created: Millis,
    /// Cluster: the server said `unavailable` (the room is moving to
    /// another node); sent again, with its nonce, at this time.
    pub retry_at: Option<Millis>,
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
    /// While scrolled up: the newest seq when the reader left the bottom.
    /// What came after it is counted ("3 new ↓") and does not move the
    /// lines being read.
    pub scroll_anchor: Option<Seq>,
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
    pub(super) you_seq: Seq,
    pub(super) alerted_turn: Option<TurnId>,
    pub(super) alerted_next: bool,
    pub(super) alerted_ten: Option<TurnId>,
    pub render: Cell<RenderInfo>,
    /// When to page the member list again from the top, after a `presence`
    /// said too much changed to list: a random moment in the next two
    /// seconds, so that a plenary's clients do not all ask at once.
    pub repage_at: Option<Millis>,
    /// How your delegation voted in each poll, as far as this client knows
    /// (to mark it when you vote again).
    pub my_vote: BTreeMap<u32, u32>,
    /// The room's fairness figures, when asked for (Ctrl+T, `/fairness`).
    pub fairness: FairnessState,
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

    pub(super) fn insert(&mut self, frame: EventFrame) {
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
    pub(super) fn follow(&mut self, event: &Event, me: Option<&str>, seq: Seq) {
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
    /// The server's time when the connection was lost; `None` while online.
    pub offline_since: Option<Millis>,
    /// The address of the server tried or used now.
    pub server: String,
    /// How many servers the client may move between (`--server` repeated).
    pub servers: usize,
    /// Show a turn's time left only at thresholds (`--quiet-clock`), so
    /// that a screen reader is not told of a change every second.
    pub quiet_clock: bool,
    /// The state of [`App::jitter_ms`]'s generator.
    pub rng: u64,
    pub size: (u16, u16),
    pub flash_until: Millis,
    /// The language you said you speak (`--speak`, `/lang`): every message
    /// is tagged with it. `None`: each message's language is told from its
    /// text, or is the interface's when the text is too short to tell.
    pub speak_lang: Option<String>,
    /// What you sent, for ↑ ↓ in the input.
    pub history: InputHistory,
    /// Tab completion under way: the candidates and the one shown.
    pub completion: Option<Completion>,
    /// Where the last draw put the panes, for the mouse wheel. Written by
    /// the drawing code, which otherwise only reads.
    pub layout: Cell<PaneLayout>,
    /// Show times at this UTC offset in seconds instead of the local zone
    /// (tests use it so that snapshots do not depend on the machine).
    pub utc_offset: Option<i32>,
    pub pending: BTreeMap<u64, Pending>,
    pub(super) next_id: u64,
    pub(super) nonce_prefix: String,
    pub quit: bool,
}

/// Where the panes were drawn, as (x, y, width, height).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaneLayout {
    pub transcript: Option<(u16, u16, u16, u16)>,
    pub members: Option<(u16, u16, u16, u16)>,
}

/// The selectable messages of a room: the ones with text of their own.
pub(super) fn is_message(event: &Event) -> bool {
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

/// The server as the interface names it: its host and port (the address
/// without its scheme). Here, below the screen and line mode, so that both
/// name it alike.
pub fn server_name(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.trim_end_matches('/').to_owned()
}

/// The languages the interface offers, with their own names (from the one
/// list, in `words`).
pub const LANGUAGES: &[(&str, &str)] = &dais_words::lang::NATIVE;

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
            offline_since: None,
            server: String::new(),
            servers: 1,
            quiet_clock: false,
            rng: 0x2545_f491_4f6c_dd1d,
            history: InputHistory::default(),
            completion: None,
            layout: Cell::new(PaneLayout::default()),
        }
    }

    pub fn server_now(&self) -> Millis {
        self.now + self.offset
    }

    /// The time a turn's clock reads: the server's present time, or, while
    /// offline, the moment the connection was lost. The server stops a
    /// running turn's clock at an outage (PROTOCOL.md, `service_restored`),
    /// so a clock that ran on here would show time the speaker still has
    /// as lost.
    pub fn clock_now(&self) -> Millis {
        match self.offline_since {
            Some(since) if self.conn != Conn::Online => since.min(self.server_now()),
            _ => self.server_now(),
        }
    }

    /// Whether the turns' clocks are stopped because the connection is lost.
    pub fn clock_stopped_offline(&self) -> bool {
        self.conn != Conn::Online && self.offline_since.is_some()
    }

    /// Moment `ms` as a local date and time: at [`App::utc_offset`] when
    /// it is set, else in the machine's zone.
    pub fn local_time(&self, ms: Millis) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        use chrono::{FixedOffset, Local, TimeZone};
        match self.utc_offset {
            Some(offset) => FixedOffset::east_opt(offset)?
                .timestamp_millis_opt(ms)
                .single(),
            None => Local
                .timestamp_millis_opt(ms)
                .single()
                .map(|t| t.fixed_offset()),
        }
    }

    /// The time of day of moment `ms` in the interface's locale (`14:05`,
    /// `2:05 PM`), in logical order with Fluent's isolation marks; empty
    /// for a moment the zone cannot show. The one clock format: the screen
    /// lays it out (`ui::clock_time`), line mode takes the marks out.
    pub fn time_of_day(&self, ms: Millis) -> String {
        use chrono::Timelike;
        self.local_time(ms)
            .map(|t| self.l10n.formats().time(t.hour() as u8, t.minute() as u8))
            .unwrap_or_default()
    }

    /// A random delay of up to `max_ms`, from the client's own generator
    /// (xorshift; seeded by main, fixed in tests), so that the clients of a
    /// plenary do not all ask at the same moment.
    pub fn jitter_ms(&mut self, max_ms: Millis) -> Millis {
        let mut x = self.rng.max(1);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        (x % (max_ms.max(1) as u64 + 1)) as Millis
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

    pub(super) fn view_mut(&mut self) -> Option<&mut RoomView> {
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

    /// The language tag sent with `text`: the one you said you speak,
    /// else the one its text is written in, else the interface's.
    pub fn language_of(&self, text: &str) -> String {
        if let Some(tag) = &self.speak_lang {
            return tag.clone();
        }
        crate::language::detect(text)
            .map(str::to_owned)
            .unwrap_or_else(|| self.l10n.tag())
    }

    /// Whether you may vote: a delegate who speaks for a delegation.
    pub fn may_vote(&self) -> bool {
        self.may(Command::Vote) && self.me.as_ref().is_some_and(|m| !m.delegation.is_empty())
    }

    pub(super) fn toast(&mut self, text: String, kind: ToastKind) {
        self.toast = Some(Toast {
            text,
            kind,
            until: self.now + TOAST_MS,
            holds: None,
        });
    }

    /// A warning from before the start (a token file others may read),
    /// shown as the first notice.
    pub fn warn(&mut self, text: String, now: Millis) {
        self.now = now;
        self.toast(text, ToastKind::Error);
    }

    pub(super) fn info(&mut self, id: &str) {
        let text = self.l10n.t(id);
        self.toast(text, ToastKind::Info);
    }

    pub(super) fn error(&mut self, id: &str) {
        let text = self.l10n.t(id);
        self.toast(text, ToastKind::Error);
    }

    /// Page size for Alt+PageUp and Alt+PageDown in the participants.
    pub(super) fn members_page(&self) -> usize {
        let drawn = self.view().map_or(0, |v| v.members.render.get().height);
        drawn.saturating_sub(1).max(3)
    }

    /// Page size for PageUp and PageDown.
    pub(super) fn page(&self) -> usize {
        let drawn = self.view().map_or(0, |v| v.render.get().height);
        if drawn > 2 {
            drawn - 1
        } else {
            usize::from(self.size.1.saturating_sub(10)).max(3)
        }
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
        view.scroll_anchor = None;
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

    pub(super) fn step_room(&mut self, forward: bool) -> Vec<Effect> {
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
    pub(super) fn is_mine(&self, seq: Seq) -> bool {
        let author = self
            .view()
            .and_then(|v| v.events.get(&seq))
            .and_then(|e| e.event.author());
        author.is_some_and(|a| Some(a.id.as_str()) == self.my_id())
    }

    pub(super) fn my_place(&self) -> Option<usize> {
        let me = self.my_id()?;
        self.state()?.queue.iter().position(|e| e.who.id == me)
    }
}
