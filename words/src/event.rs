//! What each event says: the one place that picks the Fluent message for
//! an event and its arguments, and gathers the facts a layout needs (who,
//! the class of a turn, the right of reply's target, the text a person
//! wrote and its language). The export, the public pages, the client's
//! transcript and its line mode all start here; each only lays it out.

use crate::bundle::{mode_id, reason_id};
use dais_protocol::{Actor, EntryClass, Event, EventFrame, OutageCause, Seq};

/// How a participant is named in one place of a sentence. A view decides
/// what each means for it (the public pages never show a guest's name);
/// `words` decides which one each place of each sentence takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// As the room knows them: the delegation, or the person when they
    /// speak for none; a guest marked as one.
    Who,
    /// The person's own name; a guest marked as one (a chair's announcement).
    Own,
    /// The one who presides, acting as such (a ruling, the clock, the
    /// list, a poll, the room): the record of proceedings names the person,
    /// as verbatim records do; the terminal names the seat its panes show.
    /// A guest marked as one.
    Chair,
    /// The person's own name once more, after [`Naming::Who`] in the same
    /// sentence: never marked again (a guest is marked once), and left out
    /// when it would only repeat the first.
    Again,
}

/// One argument of a sentence, before a view names people and formats
/// numbers, times and quotes its own way.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    /// A participant.
    Person(&'a Actor, Naming),
    /// The words of another message (a reason, a mode).
    Message(&'static str),
    /// A word a message selects its variant by (`upheld`, `cause`).
    Select(&'static str),
    /// Text as it is (a node's name, a speech).
    Text(&'a str),
    /// A language, by its tag: named in the reader's language.
    Language(&'a str),
    /// A count, formatted with the plural rules of the language.
    Number(i64),
    /// A length of time in milliseconds: `1:05`.
    Duration(i64),
    /// A moment (ms since the epoch), as the view tells the time of day.
    Clock(i64),
    /// The opening words of what someone wrote, cut as the view needs.
    Quote(&'a str),
}

/// What a person wrote that goes with a line (a speech, an announcement, a
/// point of order, a ruling, a poll's question), and its language when it
/// is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Written<'a> {
    /// The words as written.
    pub text: &'a str,
    /// Their language, when the event says it.
    pub lang: Option<&'a str>,
}

/// The message a right of reply answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplyTo<'a> {
    /// The seq of the message answered.
    pub seq: Seq,
    /// The event at `seq`, when the view has it (a transcript scrolled
    /// back, a page of the record that holds it).
    pub target: Option<&'a EventFrame>,
}

impl<'a> ReplyTo<'a> {
    /// Who wrote the message answered, when it is known.
    pub fn author(&self) -> Option<&'a Actor> {
        self.target.and_then(|t| t.event.author())
    }
}

/// The facts of one event that every view must carry, whatever its layout.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts<'a> {
    /// The participant the line is about (the speaker, the one granted the
    /// floor or muted, the chair who acted).
    pub who: Option<&'a Actor>,
    /// The class of the turn granted or asked for.
    pub class: Option<EntryClass>,
    /// Granted out of the speakers' list's order.
    pub out_of_order: bool,
    /// The message a right of reply answers.
    pub reply_to: Option<ReplyTo<'a>>,
    /// The chair's (or the speaker's) reason, shown after the line.
    pub reason: Option<&'a str>,
    /// The chair who gave the floor, when one did.
    pub given_by: Option<&'a Actor>,
    /// What a person wrote that goes with the line.
    pub written: Option<Written<'a>>,
}

/// One event put into words: a message, its arguments and its facts, and
/// the line that follows it when there is one.
#[derive(Debug, Clone, PartialEq)]
pub struct Said<'a> {
    /// The Fluent message.
    pub id: &'static str,
    /// Its arguments, by name.
    pub args: Vec<(&'static str, Arg<'a>)>,
    /// What every view must carry.
    pub facts: Facts<'a>,
    /// A second sentence, said after this one (how long a speaker's clock
    /// stays stopped after an outage).
    pub then: Option<Box<Said<'a>>>,
}

impl<'a> Said<'a> {
    fn new(id: &'static str, args: Vec<(&'static str, Arg<'a>)>) -> Self {
        Said {
            id,
            args,
            facts: Facts::default(),
            then: None,
        }
    }

    fn about(mut self, who: &'a Actor) -> Self {
        self.facts.who = Some(who);
        self
    }

    fn writing(mut self, text: &'a str, lang: Option<&'a str>) -> Self {
        self.facts.written = Some(Written { text, lang });
        self
    }

    /// The chair does something: "{ $who } closed the list".
    fn chair(id: &'static str, by: &'a Actor) -> Self {
        Said::new(id, vec![("who", Arg::Person(by, Naming::Chair))]).about(by)
    }

    /// `who` does something: "{ $who } asks for the floor".
    fn who(id: &'static str, who: &'a Actor) -> Self {
        Said::new(id, vec![("who", Arg::Person(who, Naming::Who))]).about(who)
    }
}

/// The messages that grant the floor, by class, each with the short form
/// used when the person's own name would only repeat the first naming.
pub fn floor_granted_id(class: EntryClass, with_name: bool) -> &'static str {
    match (class, with_name) {
        (EntryClass::Speech, true) => "ev-floor-granted",
        (EntryClass::Speech, false) => "ev-floor-granted-one",
        (EntryClass::Reply, true) => "ev-floor-granted-reply",
        (EntryClass::Reply, false) => "ev-floor-granted-reply-one",
        (EntryClass::ClarifyingQuestion, true) => "ev-floor-granted-clarifying",
        (EntryClass::ClarifyingQuestion, false) => "ev-floor-granted-clarifying-one",
    }
}

/// The words for one event of the record. `lookup` finds another event of
/// the same room by seq (the message a right of reply answers), when the
/// view has it. `None` for what is said by another event: a request for
/// the right of reply is told by its `reply_requested`, and a vote is
/// counted in its poll's result, not told.
pub fn describe<'a>(
    frame: &'a EventFrame,
    lookup: &dyn Fn(Seq) -> Option<&'a EventFrame>,
) -> Option<Said<'a>> {
    use Arg::*;
    let said = match &frame.event {
        Event::Speech { by, text, lang } => Said::new(
            "line-speech",
            vec![
                ("who", Person(by, Naming::Who)),
                ("lang", Language(lang)),
                ("text", Text(text)),
            ],
        )
        .about(by)
        .writing(text, Some(lang)),
        Event::Interpretation { by, text, lang, .. } => Said::new(
            "ev-interpretation",
            vec![("lang", Language(lang)), ("who", Person(by, Naming::Own))],
        )
        .about(by)
        .writing(text, Some(lang)),
        Event::Announcement { by, text, lang } => {
            Said::new("ev-announcement", vec![("who", Person(by, Naming::Own))])
                .about(by)
                .writing(text, Some(lang))
        }
        Event::PointOfOrder { by, text } => {
            let said = Said::who("ev-point-of-order", by);
            match text {
                Some(text) => said.writing(text, None),
                None => said,
            }
        }
        Event::Ruling {
            by, upheld, ruling, ..
        } => {
            let verdict = match upheld {
                Some(true) => "yes",
                Some(false) => "no",
                None => "none",
            };
            Said::new(
                "ev-ruling",
                vec![
                    ("who", Person(by, Naming::Chair)),
                    ("upheld", Select(verdict)),
                ],
            )
            .about(by)
            .writing(ruling, None)
        }
        Event::FloorGranted {
            to,
            by,
            class,
            out_of_order,
            reason,
            ..
        } => {
            let mut said = Said::new(
                floor_granted_id(*class, true),
                vec![
                    ("who", Person(to, Naming::Who)),
                    ("name", Person(to, Naming::Again)),
                ],
            )
            .about(to);
            said.facts.class = Some(*class);
            said.facts.out_of_order = *out_of_order;
            said.facts.given_by = by.as_ref();
            said.facts.reason = reason.as_deref();
            said
        }
        Event::TurnEnded {
            holder,
            reason,
            spoke_ms,
            note,
            ..
        } => {
            let mut said = Said::new(
                "ev-turn-ended",
                vec![
                    ("who", Person(holder, Naming::Who)),
                    ("reason", Message(reason_id(*reason))),
                    ("time", Duration(*spoke_ms)),
                ],
            )
            .about(holder);
            if *reason == dais_protocol::TurnEndReason::Revoked {
                said.facts.reason = note.as_deref();
            }
            said
        }
        Event::FloorRequested { by, class, .. } => {
            let id = match class {
                // Its `reply_requested`, just before, has said it all.
                EntryClass::Reply => return None,
                EntryClass::ClarifyingQuestion => "ev-clarifying-requested",
                EntryClass::Speech => "ev-floor-requested",
            };
            let mut said = Said::who(id, by);
            said.facts.class = Some(*class);
            said
        }
        Event::ReplyRequested { by, to } => reply_requested(by, *to, lookup(*to)),
        Event::FloorWithdrawn { by } => Said::who("ev-floor-withdrawn", by),
        _ => return chair_act(frame),
    };
    Some(said)
}

/// The words for the chair's acts on the room and its clock, its list, its
/// polls and its members, and for the room's own events (an outage).
fn chair_act(frame: &EventFrame) -> Option<Said<'_>> {
    use Arg::*;
    let said = match &frame.event {
        Event::ClockPaused { by, .. } => Said::chair("ev-clock-paused", by),
        Event::ClockResumed { by, .. } => Said::chair("ev-clock-resumed", by),
        Event::ModeChanged { by, mode } => Said::new(
            "ev-mode-changed",
            vec![
                ("who", Person(by, Naming::Chair)),
                ("mode", Message(mode_id(*mode))),
            ],
        )
        .about(by),
        Event::TimeLimitChanged { by, seconds } => Said::new(
            "ev-time-limit",
            vec![
                ("who", Person(by, Naming::Chair)),
                ("time", Duration(i64::from(*seconds) * 1000)),
            ],
        )
        .about(by),
        Event::QueueReordered { by, reason, .. } => {
            with_reason(Said::chair("ev-queue-reordered", by), reason)
        }
        Event::QueueCleared { by, reason, .. } => {
            with_reason(Said::chair("ev-queue-cleared", by), reason)
        }
        Event::ListClosed { by, reason, .. } => {
            with_reason(Said::chair("ev-list-closed", by), reason)
        }
        Event::ListOpened { by } => Said::chair("ev-list-opened", by),
        Event::RoundStarted { by, round, order } => Said::new(
            "ev-round-started",
            vec![
                ("who", Person(by, Naming::Chair)),
                ("round", Number(i64::from(*round))),
                ("count", Number(order.len() as i64)),
            ],
        )
        .about(by),
        Event::RoundEnded { round } => {
            Said::new("ev-round-ended", vec![("round", Number(i64::from(*round)))])
        }
        Event::PollOpened { by, question, .. } => {
            Said::chair("ev-poll-opened", by).writing(question, None)
        }
        Event::PollClosed { question, .. } => {
            Said::new("ev-poll-closed", vec![]).writing(question, None)
        }
        Event::VoteCast { .. } => return None,
        Event::Muted { who, reason, .. } => with_reason(Said::chair("ev-muted", who), reason),
        Event::Unmuted { who, .. } => Said::chair("ev-unmuted", who),
        Event::Removed { who, reason, .. } => with_reason(Said::chair("ev-removed", who), reason),
        Event::RoomCreated { by } => Said::chair("ev-room-created", by),
        Event::RoomLocked { by } => Said::chair("ev-room-locked", by),
        Event::RoomUnlocked { by } => Said::chair("ev-room-unlocked", by),
        Event::RoomClosed { by } => Said::chair("ev-room-closed", by),
        Event::RoomPublished { by } => Said::chair("ev-room-published", by),
        Event::RoomUnpublished { by } => Said::chair("ev-room-unpublished", by),
        Event::ServiceRestored {
            down_from,
            cause,
            node,
            remaining_ms,
            ..
        } => {
            let cause = match cause {
                OutageCause::Restart => "restart",
                OutageCause::Failover => "failover",
                OutageCause::Handover => "handover",
            };
            let mut said = Said::new(
                "ev-service-restored",
                vec![
                    ("cause", Select(cause)),
                    ("node", Text(node.as_deref().unwrap_or(""))),
                    ("down", Duration((frame.ts - down_from).max(0))),
                ],
            );
            said.then = remaining_ms.map(|remaining| {
                Box::new(Said::new(
                    "ev-service-restored-paused",
                    vec![("remaining", Duration(remaining))],
                ))
            });
            said
        }
        // Said by `describe` itself.
        Event::Speech { .. }
        | Event::Interpretation { .. }
        | Event::Announcement { .. }
        | Event::PointOfOrder { .. }
        | Event::Ruling { .. }
        | Event::FloorGranted { .. }
        | Event::TurnEnded { .. }
        | Event::FloorRequested { .. }
        | Event::ReplyRequested { .. }
        | Event::FloorWithdrawn { .. } => return None,
    };
    Some(said)
}

fn with_reason<'a>(mut said: Said<'a>, reason: &'a Option<String>) -> Said<'a> {
    said.facts.reason = reason.as_deref();
    said
}

/// "X asks for the right of reply to Y (14:05): “We regret…”" when the
/// message answered is known, else without its target.
fn reply_requested<'a>(by: &'a Actor, to: Seq, target: Option<&'a EventFrame>) -> Said<'a> {
    let quote = target.and_then(|t| match &t.event {
        Event::Speech { text, .. }
        | Event::Announcement { text, .. }
        | Event::PointOfOrder {
            text: Some(text), ..
        } => Some(text.lines().next().unwrap_or_default()),
        _ => None,
    });
    let mut said = match target {
        Some(target) => {
            let author = target.event.author();
            let mut args = vec![("who", Arg::Person(by, Naming::Who))];
            args.push((
                "author",
                match author {
                    Some(a) => Arg::Person(a, Naming::Who),
                    None => Arg::Text(""),
                },
            ));
            args.push(("time", Arg::Clock(target.ts)));
            args.push(("quote", Arg::Quote(quote.unwrap_or_default())));
            Said::new("ev-reply-requested-to", args).about(by)
        }
        None => Said::who("ev-reply-requested", by),
    };
    said.facts.class = Some(EntryClass::Reply);
    said.facts.reply_to = Some(ReplyTo { seq: to, target });
    said
}

/// A lookup over a slice of events in seq order, for views that hold the
/// record as a list (the export, a page of the public record).
pub fn in_slice<'a>(events: &'a [EventFrame]) -> impl Fn(Seq) -> Option<&'a EventFrame> + 'a {
    move |seq| {
        events
            .binary_search_by_key(&seq, |e| e.seq)
            .ok()
            .and_then(|i| events.get(i))
    }
}
