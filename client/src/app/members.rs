//! The member list of one room, as this client knows it.
//!
//! A plenary can hold ten thousand members, so the server never sends the
//! list whole: `room_state` and `presence` count the members, and `members`
//! pages the list in name order. The client keeps the first pages it has
//! fetched (the list up to its *frontier*, the last member of the last page
//! received) and patches them with each `presence` change: a member who
//! comes, goes or leaves inside the frontier is added, updated or dropped;
//! one past it is left to the page that will bring them. So what is shown is
//! always an unbroken stretch of the real list from its top.
//!
//! Every function here is pure: `App` (app.rs) sends the requests these
//! functions ask for and hands them the frames that answer.

use std::collections::{BTreeMap, HashMap};

use dais_protocol::{Actor, Counts, MemberView, ParticipantId, PresenceChange, PresenceState};

/// Members asked for per page: a few screens of the pane, a small frame.
pub const MEMBERS_PAGE: u32 = 100;

/// Where a member stands in the list: the server's order, by folded name
/// and then id (protocol/`members`).
pub type MemberKey = (String, ParticipantId);

/// A name as the server sorts and filters it (the protocol's rule).
pub fn fold_name(name: &str) -> String {
    dais_protocol::names::fold(name)
}

fn key_of(who: &Actor) -> MemberKey {
    (fold_name(&who.name), who.id.clone())
}

/// What the members pane learned at its last draw, so that scrolling stops
/// at the end and the next page is fetched before the reader gets there.
/// Written by the drawing code, which otherwise only reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MembersRender {
    /// Rows of the whole list as drawn (members and group headings).
    pub rows: usize,
    /// Rows the pane had for the list.
    pub height: usize,
    /// The scroll position actually drawn.
    pub scroll: usize,
}

/// The loaded part of one room's member list, and the room's counts.
#[derive(Debug, Clone, Default)]
pub struct MemberList {
    /// The members loaded so far, in list order.
    rows: BTreeMap<MemberKey, MemberView>,
    /// Each loaded member's place in `rows`, by id: a presence change names
    /// the member by id, and their name (so their key) may have changed.
    keys: HashMap<ParticipantId, MemberKey>,
    /// The last key paging has reached. Members after it are not loaded
    /// yet; a presence change about one of them waits for its page.
    frontier: Option<MemberKey>,
    /// The cursor that asks for the page after the frontier.
    next: Option<String>,
    /// The last page has come: `rows` is the whole list.
    complete: bool,
    /// Members in the whole list, as the latest page said.
    total: u32,
    /// The id of the `members` request in flight; a page with any other id
    /// is stale (the list was restarted since) and dropped.
    pending: Option<u64>,
    /// The pending request starts the list again from the top: its page
    /// replaces what is loaded instead of extending it.
    restarting: bool,
    /// Presence changes received while a page was on its way. The page may
    /// have been read before or after them, so they are applied again on
    /// top of it; applying a change twice is harmless.
    since_request: Vec<PresenceChange>,
    /// A `presence` with `more` came while a page was on its way: once the
    /// page lands, the list must be paged again from the top.
    stale: bool,
    /// Members and online members, in all and by role, group and guest
    /// status: from the latest `room_state` or `presence`, whichever came last.
    pub counts: Counts,
    /// Rows the reader has scrolled the pane down.
    pub scroll: usize,
    pub render: std::cell::Cell<MembersRender>,
}

/// What the app must do after the list took a frame in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Nothing: the list is as good as it can be.
    Nothing,
    /// Page the list again from the top (too much changed to patch).
    Restart,
}

impl MemberList {
    /// The loaded members, in list order.
    pub fn loaded(&self) -> impl Iterator<Item = &MemberView> {
        self.rows.values()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&MemberView> {
        self.keys.get(id).and_then(|k| self.rows.get(k))
    }

    /// Every member is loaded.
    pub fn complete(&self) -> bool {
        self.complete
    }

    /// Members in the whole list: the live count, which `presence` keeps
    /// current, or the last page's total before any count came.
    pub fn total(&self) -> u32 {
        if self.counts.members > 0 {
            self.counts.members
        } else {
            self.total
        }
    }

    /// Members not loaded yet.
    pub fn unloaded(&self) -> usize {
        if self.complete {
            0
        } else {
            (self.total() as usize).saturating_sub(self.rows.len())
        }
    }

    /// A page is on its way.
    pub fn waiting(&self) -> bool {
        self.pending.is_some()
    }

    /// Whether the next page may be asked for now.
    pub fn wants_more(&self) -> bool {
        !self.complete && self.pending.is_none() && self.frontier.is_some()
    }

    /// The cursor for the next page (None: start from the top).
    pub fn cursor(&self) -> Option<String> {
        self.next.clone()
    }

    /// A `members` request with id `id` went out: from the top when
    /// `restart`, else for the page after the frontier.
    pub fn requested(&mut self, id: u64, restart: bool) {
        self.pending = Some(id);
        self.restarting = restart;
        self.since_request.clear();
        if restart {
            self.stale = false;
        }
    }

    /// The connection is gone: no page will answer the request in flight.
    pub fn disconnected(&mut self) {
        self.pending = None;
        self.since_request.clear();
    }

    /// A request that was answered with an error, if it was this list's.
    pub fn refused(&mut self, id: u64) -> bool {
        if self.pending == Some(id) {
            self.pending = None;
            self.since_request.clear();
            true
        } else {
            false
        }
    }

    /// A page of the list arrived, answering request `id`. Returns whether
    /// it was the page this list waits for, and what to do next.
    pub fn page(
        &mut self,
        id: Option<u64>,
        members: Vec<MemberView>,
        next: Option<String>,
        total: u32,
    ) -> (bool, Next) {
        if id.is_none() || id != self.pending {
            return (false, Next::Nothing);
        }
        self.pending = None;
        if self.restarting {
            self.rows.clear();
            self.keys.clear();
            self.frontier = None;
            // The scroll position stays: the reader keeps their place as
            // far as the new pages reach.
        }
        for member in members {
            let key = key_of(&member.who);
            if self.frontier.as_ref().is_none_or(|f| key > *f) {
                self.frontier = Some(key.clone());
            }
            self.put(key, member);
        }
        self.complete = next.is_none();
        self.next = next;
        self.total = total;
        for change in std::mem::take(&mut self.since_request) {
            self.patch(&change);
        }
        let next = if std::mem::take(&mut self.stale) {
            Next::Restart
        } else {
            Next::Nothing
        };
        (true, next)
    }

    /// A `presence` batch: patch the loaded members, take the counts.
    pub fn presence(&mut self, changes: &[PresenceChange], more: bool, counts: &Counts) -> Next {
        self.counts = counts.clone();
        if more {
            // Too many changed to list: only a fresh paging is right.
            if self.pending.is_some() {
                self.stale = true;
                return Next::Nothing;
            }
            return Next::Restart;
        }
        for change in changes {
            self.patch(change);
            if self.pending.is_some() {
                self.since_request.push(change.clone());
            }
        }
        Next::Nothing
    }

    /// Whether a member at `key` belongs to the loaded stretch.
    fn inside(&self, key: &MemberKey) -> bool {
        self.complete || self.frontier.as_ref().is_some_and(|f| key <= f)
    }

    fn put(&mut self, key: MemberKey, member: MemberView) {
        if let Some(old) = self.keys.insert(member.who.id.clone(), key.clone()) {
            if old != key {
                self.rows.remove(&old);
            }
        }
        self.rows.insert(key, member);
    }

    fn drop_member(&mut self, id: &str) {
        if let Some(key) = self.keys.remove(id) {
            self.rows.remove(&key);
        }
    }

    fn patch(&mut self, change: &PresenceChange) {
        let online = match change.state {
            PresenceState::Left => {
                self.drop_member(&change.who.id);
                return;
            }
            PresenceState::Online => true,
            PresenceState::Offline => false,
        };
        let key = key_of(&change.who);
        let member = match self.get(&change.who.id) {
            Some(known) => MemberView {
                who: change.who.clone(),
                online,
                ..known.clone()
            },
            // Someone new (or back after leaving): only inside the loaded
            // stretch, or the page that covers their place would bring
            // them a second time.
            None if self.inside(&key) => MemberView {
                who: change.who.clone(),
                online,
                muted: false,
                muted_until: None,
                speaking_ms: 0,
            },
            None => return,
        };
        if self.inside(&key) {
            self.put(key, member);
        } else {
            // Renamed past the frontier: their page will bring them.
            self.drop_member(&change.who.id);
        }
    }

    /// A member was muted or unmuted (an event of the record).
    pub fn set_muted(&mut self, id: &str, muted: bool, until: Option<i64>) {
        if let Some(key) = self.keys.get(id) {
            if let Some(member) = self.rows.get_mut(key) {
                member.muted = muted;
                member.muted_until = until.filter(|_| muted);
            }
        }
    }

    /// A turn of `id` ended after `spoke_ms`.
    pub fn spoke(&mut self, id: &str, spoke_ms: i64) {
        if let Some(key) = self.keys.get(id) {
            if let Some(member) = self.rows.get_mut(key) {
                member.speaking_ms += spoke_ms;
            }
        }
    }

    /// A member was removed (an event of the record; presence says so too).
    pub fn removed(&mut self, id: &str) {
        self.drop_member(id);
    }
}
