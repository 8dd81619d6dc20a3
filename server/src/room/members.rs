//! The member list of a room, a page at a time: a `members` request's
//! filters (stakeholder group, role, online, a name prefix) and its
//! cursor, read from the room's state in name order.
//!
//! A plenary's list has thousands of names; a page stays a small frame,
//! and the cursor lets a client walk the rest.

use super::state::{fold_name, Room};
use dais_protocol::{ErrorCode, MemberView, Millis, ParticipantId, Role, Stakeholder};

/// Members in one `members` page, unless the request asks for fewer.
const MEMBERS_PAGE: usize = 100;
/// Most members in one page, whatever the request asks.
const MEMBERS_PAGE_MAX: usize = 500;
/// A `members` page stops growing past about this many bytes of JSON,
/// whatever its limit, so that a page of long names stays a small frame.
const MEMBERS_PAGE_BYTES: usize = 64 * 1024;

/// A `members` request's filters and cursor.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct MembersQuery {
    pub after: Option<String>,
    pub limit: Option<u32>,
    pub stakeholder: Option<Stakeholder>,
    pub role: Option<Role>,
    pub online: Option<bool>,
    pub prefix: Option<String>,
}

/// One page of members: the page, the cursor of the next, and how many match.
pub type MembersPage = (Vec<MemberView>, Option<String>, u32);

/// One page of the member list, in name order after the cursor.
pub fn page(room: &Room, q: &MembersQuery, now: Millis) -> Result<MembersPage, ErrorCode> {
    let start: Option<(String, ParticipantId)> = match &q.after {
        None => None,
        Some(cursor) => Some(parse_cursor(cursor).ok_or(ErrorCode::InvalidField)?),
    };
    let prefix = q.prefix.as_deref().map(fold_name);
    let limit = q
        .limit
        .map(|l| l as usize)
        .unwrap_or(MEMBERS_PAGE)
        .clamp(1, MEMBERS_PAGE_MAX);
    let matches = |key: &(String, ParticipantId)| -> bool {
        let Some(m) = room.members.get(&key.1) else {
            return false;
        };
        prefix.as_deref().is_none_or(|p| key.0.starts_with(p))
            && q.stakeholder.is_none_or(|s| m.who.stakeholder == s)
            && q.role.is_none_or(|r| m.who.role == r)
            && q.online.is_none_or(|o| (m.connections > 0) == o)
    };
    let total = room.by_name.iter().filter(|k| matches(k)).count() as u32;
    let range = match &start {
        None => room.by_name.range::<(String, ParticipantId), _>(..),
        Some(key) => room.by_name.range((
            std::ops::Bound::Excluded(key.clone()),
            std::ops::Bound::Unbounded,
        )),
    };
    let mut page = Vec::new();
    let mut bytes = 0;
    let mut last = None;
    let mut more = false;
    for key in range.filter(|k| matches(k)) {
        if page.len() >= limit || bytes >= MEMBERS_PAGE_BYTES {
            more = true;
            break;
        }
        let Some(m) = room.members.get(&key.1) else {
            continue;
        };
        // A member's JSON is about its strings plus 150 bytes of keys.
        bytes += m.who.name.len() + m.who.delegation.len() + m.who.id.len() + 150;
        page.push(room.member_view(m, now));
        last = Some(key);
    }
    let next = if more { last.map(cursor_of) } else { None };
    Ok((page, next, total))
}

/// A cursor names the last member of a page: their folded name and id.
/// Opaque to clients; ids hold no `:`.
fn cursor_of(key: &(String, ParticipantId)) -> String {
    format!("{}:{}", key.1, key.0)
}

fn parse_cursor(cursor: &str) -> Option<(String, ParticipantId)> {
    let (id, name) = cursor.split_once(':')?;
    Some((name.to_string(), id.to_string()))
}
