//! What the network brings: the connection's ups and downs and every frame
//! of the server, applied to the state (protocol 2).

use super::*;

pub(super) fn on_net(app: &mut App, event: NetEvent) -> Vec<Effect> {
    match event {
        NetEvent::Connecting {
            attempt,
            server,
            servers,
        } => {
            if app.conn == Conn::Online {
                went_offline(app);
            }
            app.conn = Conn::Connecting { attempt };
            app.server = server;
            app.servers = servers;
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
        // Said once, by the status line and the screen that replaces the
        // record; no notice repeats it.
        NetEvent::Fatal(code) => {
            app.conn = Conn::Failed(code);
            Vec::new()
        }
        NetEvent::Frame(frame) => on_frame(app, *frame),
    }
}

/// Note when the connection went, once: the turns' clocks stop there.
fn went_offline(app: &mut App) {
    if app.offline_since.is_none() {
        app.offline_since = Some(app.server_now());
    }
}

/// What no longer holds once the connection is gone: every join, and every
/// answer still awaited except those the outbox resends.
pub(super) fn disconnected(app: &mut App) {
    went_offline(app);
    for view in app.views.values_mut() {
        view.joined = false;
        view.history_pending = false;
        view.members.disconnected();
        fairness_disconnected(view);
    }
}

pub(super) fn on_frame(app: &mut App, frame: ServerFrame) -> Vec<Effect> {
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
        ServerFrame::RoomRemoved { room } => {
            app.rooms.retain(|r| r.id != room);
            Vec::new()
        }
        ServerFrame::Fairness { id, figures } => {
            on_fairness(app, id, figures);
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
pub(super) fn on_presence(app: &mut App, presence: Presence) -> Vec<Effect> {
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
        members::Next::Restart => {
            schedule_repage(app, &room);
            Vec::new()
        }
        members::Next::Nothing => Vec::new(),
    }
}

/// A page of a room's member list.
pub(super) fn on_members(
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
        (true, members::Next::Restart) => {
            schedule_repage(app, &room);
            Vec::new()
        }
        // A long pane may show the end of the page already.
        (true, members::Next::Nothing) => more_members(app),
        (false, _) => Vec::new(),
    }
}

/// The longest wait before paging a member list again.
pub const REPAGE_JITTER_MS: Millis = 2_000;

/// Page `room`'s member list again from the top, at a random moment of the
/// next two seconds (done by [`repage_due`] on a tick): a `presence` with
/// `more` reaches every client of a plenary at once, and they must not all
/// ask at once.
fn schedule_repage(app: &mut App, room: &str) {
    let at = app.now + app.jitter_ms(REPAGE_JITTER_MS);
    if let Some(view) = app.views.get_mut(room) {
        if view.repage_at.is_none() {
            view.repage_at = Some(at);
        }
    }
}

/// The repagings whose moment has come.
pub(super) fn repage_due(app: &mut App) -> Vec<Effect> {
    let now = app.now;
    let due: Vec<RoomId> = app
        .views
        .iter()
        .filter(|(_, v)| v.repage_at.is_some_and(|at| at <= now))
        .map(|(r, _)| r.clone())
        .collect();
    let mut effects = Vec::new();
    for room in due {
        if app.conn != Conn::Online {
            continue;
        }
        if let Some(view) = app.views.get_mut(&room) {
            view.repage_at = None;
        }
        effects.extend(request_members(app, &room, true));
    }
    effects
}

/// Ask for a page of `room`'s members: the first when `restart`, else the
/// one after what is loaded. Only online, and one at a time per room.
pub(super) fn request_members(app: &mut App, room: &str, restart: bool) -> Vec<Effect> {
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
pub(super) fn more_members(app: &mut App) -> Vec<Effect> {
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

pub(super) fn on_welcome(
    app: &mut App,
    participant: Participant,
    rooms: Vec<RoomSummary>,
    server_time: Millis,
) -> Vec<Effect> {
    app.conn = Conn::Online;
    app.offline_since = None;
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

pub(super) fn mark_echo_failed(app: &mut App, id: u64) {
    for view in app.views.values_mut() {
        for echo in &mut view.echoes {
            if echo.id == id {
                echo.failed = true;
            }
        }
    }
}

pub(super) fn on_ok(
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

pub(super) fn on_error(app: &mut App, id: Option<RequestId>, code: ErrorCode) {
    // Cluster: the room's node is being replaced. A request with a nonce
    // waits a moment and goes again, as after a reconnect: nothing typed
    // is lost, nothing is doubled.
    if code == ErrorCode::Unavailable {
        if let Some(RequestId::Number(id)) = id {
            let now = app.now;
            if let Some(p) = app.pending.get_mut(&id) {
                if needs_nonce(&p.envelope.request) && now - p.created <= OUTBOX_MAX_AGE_MS {
                    p.retry_at = Some(now + RETRY_UNAVAILABLE_MS);
                    return;
                }
            }
        }
    }
    let pending = match id {
        Some(RequestId::Number(id)) => {
            for view in app.views.values_mut() {
                view.members.refused(id);
            }
            fairness_refused(app, id, code);
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
    let id = dais_words::error_id(code);
    if l10n.has(&id) {
        l10n.t(&id)
    } else {
        l10n.ta("error-unknown", &args!["code" => code.as_str()])
    }
}

pub(super) fn on_event(app: &mut App, frame: EventFrame) {
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
