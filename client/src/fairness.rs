//! The fairness figures of a room (docs/FAIRNESS.md) in the interface
//! language: shares as percentages, ratios, waits, who each delegation is,
//! the bars of the view, and the plain lines of line mode. Pure functions
//! over the `fairness` frame; the view (ui/fairness.rs) and line mode
//! (line.rs) both read the figures through here, so that they say the same.

use dais_protocol::{
    Actor, DelegationFigures, Fairness, Intervention, InterventionKind, Role, Stakeholder,
};

use crate::app::App;
use crate::args;
use crate::bidi::strip_isolates;
use crate::i18n::Localizer;
use crate::names;

pub use crate::fairness_window::Window;

/// What the figures leave undefined (nobody spoke, no request served).
pub const UNDEFINED: &str = "—";

/// A share of 1 as a percentage with one decimal: `47.5%`, `47,5 %`.
pub fn percent(l10n: &Localizer, share: f64) -> String {
    let value = l10n.formats().decimal(share * 100.0, 1);
    strip_isolates(&l10n.ta("fairness-percent", &args!["value" => value])).into_owned()
}

/// A ratio or a coefficient with two decimals, or a dash when undefined.
pub fn ratio(l10n: &Localizer, x: Option<f64>) -> String {
    match x {
        Some(x) if x.is_finite() => l10n.formats().decimal(x, 2),
        _ => UNDEFINED.to_owned(),
    }
}

/// A wait as `m:ss`, or a dash when no request was served.
pub fn wait(l10n: &Localizer, ms: Option<i64>) -> String {
    match ms {
        Some(ms) => l10n.formats().duration(ms),
        None => UNDEFINED.to_owned(),
    }
}

/// How a delegation of the figures is named: the delegation, or for a
/// participant of none (a guest) the participant as the member list
/// knows them, always with the guest badge for a guest.
pub fn delegation_label(app: &App, d: &DelegationFigures) -> String {
    if !d.delegation.is_empty() {
        return d.delegation.clone();
    }
    let id = d.participant.clone().unwrap_or_default();
    match app.view().and_then(|v| v.members.get(&id)) {
        Some(member) => names::marked(&app.l10n, &member.who),
        None => names::marked(
            &app.l10n,
            &Actor {
                id: id.clone(),
                name: id,
                delegation: String::new(),
                stakeholder: d.stakeholder,
                role: Role::Delegate,
                guest: d.guest,
            },
        ),
    }
}

/// A delegation as a precedence violation names it (its `delegation`, or
/// the participant id of one of none), in words.
pub fn named(app: &App, f: &Fairness, key: &str) -> String {
    f.delegations
        .iter()
        .find(|d| {
            d.delegation == key
                || (d.delegation.is_empty() && d.participant.as_deref() == Some(key))
        })
        .map(|d| delegation_label(app, d))
        .unwrap_or_else(|| key.to_owned())
}

/// The Fluent id of a kind of chair's intervention (the words the export
/// and the public pages use too).
pub fn intervention_id(kind: InterventionKind) -> &'static str {
    match kind {
        InterventionKind::Revoke => "intervention-revoke",
        InterventionKind::Grant => "intervention-grant",
        InterventionKind::Reorder => "intervention-reorder",
        InterventionKind::Clear => "intervention-clear",
        InterventionKind::Mute => "intervention-mute",
        InterventionKind::Remove => "intervention-remove",
        InterventionKind::Ruling => "intervention-ruling",
    }
}

/// One intervention in words, without its time: `Floor withdrawn: Kenya
/// (by Secretariat) — Off topic`.
pub fn intervention(l10n: &Localizer, i: &Intervention) -> String {
    let kind = l10n.t(intervention_id(i.kind));
    let by = names::marked(l10n, &i.by);
    let reason = match i.reason.as_deref().map(str::trim) {
        Some(reason) if !reason.is_empty() => reason.to_owned(),
        _ => l10n.t("fairness-no-reason"),
    };
    let text = match &i.who {
        Some(who) => l10n.ta(
            "fairness-intervention",
            &args![
                "kind" => kind,
                "who" => names::marked(l10n, who),
                "by" => by,
                "reason" => reason,
            ],
        ),
        None => l10n.ta(
            "fairness-intervention-nobody",
            &args!["kind" => kind, "by" => by, "reason" => reason],
        ),
    };
    strip_isolates(&text).into_owned()
}

/// A stakeholder group's name in the interface language.
pub fn group_name(l10n: &Localizer, group: Stakeholder) -> String {
    let id = format!("stakeholder-{}", group.as_str().replace('_', "-"));
    strip_isolates(&l10n.t(&id)).into_owned()
}

/// A precedence violation in words.
pub fn violation(app: &App, f: &Fairness, v: &dais_protocol::PrecedenceViolation) -> String {
    let waiting: Vec<String> = v.waiting.iter().map(|w| named(app, f, w)).collect();
    let text = app.l10n.ta(
        "fair-violation",
        &args![
            "turn" => v.turn as i64,
            "who" => named(app, f, &v.to),
            "waiting" => waiting.join(", "),
        ],
    );
    strip_isolates(&text).into_owned()
}

/// What one cell of a bar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BarPart {
    /// Speaking time.
    Fill,
    /// Room left on the scale.
    Track,
    /// Where the share of the delegations present falls: a bar that ends
    /// short of it was heard less than its numbers, one past it more.
    Marker,
}

/// The glyph of the share-of-delegations-present marker.
pub const MARKER: &str = "┃";

/// The cells of a bar `width` cells long for `share` on a scale whose end
/// is `scale`, with the marker at `marker`, in growth order: the first cell
/// is where the bar starts (the left, or the right when `rtl`). Left to
/// right, the bar's end is drawn to an eighth of a cell; mirrored, to a
/// half (there are no right-aligned eighth blocks but ▕ and ▐). A share
/// above zero always shows at least a sliver.
pub fn bar(
    share: f64,
    marker: Option<f64>,
    scale: f64,
    width: usize,
    rtl: bool,
) -> Vec<(&'static str, BarPart)> {
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let fraction = |x: f64| {
        if scale > 0.0 && x.is_finite() {
            (x / scale).clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let steps = if rtl { 2 } else { 8 };
    let mut units = (fraction(share) * (width * steps) as f64).round() as usize;
    if share > 0.0 && units == 0 && width > 0 {
        units = 1;
    }
    let (full, rest) = (units / steps, units % steps);
    let mut cells: Vec<(&'static str, BarPart)> = Vec::with_capacity(width);
    for i in 0..width {
        let cell = if i < full {
            ("█", BarPart::Fill)
        } else if i == full && rest > 0 {
            let glyph = if rtl { "▐" } else { EIGHTHS[rest] };
            (glyph, BarPart::Fill)
        } else {
            (" ", BarPart::Track)
        };
        cells.push(cell);
    }
    if let Some(m) = marker {
        if width > 0 && scale > 0.0 {
            // The cell the share's boundary falls in: a bar that reaches
            // exactly as far meets the marker.
            let at = ((fraction(m) * width as f64).floor() as usize).min(width - 1);
            cells[at] = (MARKER, BarPart::Marker);
        }
    }
    cells
}

/// A bar as it appears on screen, for tests and for reading: left to
/// right, or mirrored.
pub fn bar_text(cells: &[(&'static str, BarPart)], rtl: bool) -> String {
    if rtl {
        cells.iter().rev().map(|(g, _)| *g).collect()
    } else {
        cells.iter().map(|(g, _)| *g).collect()
    }
}

/// The figures as line mode says them: plain lines in logical order, a
/// heading, the totals, one line per stakeholder group and per delegation,
/// then the precedence violations and the chair's interventions.
pub fn plain_lines(app: &App, room: &str, window: Window, f: &Fairness) -> Vec<String> {
    let l10n = &app.l10n;
    let plain = |s: String| strip_isolates(&s).into_owned();
    // A screen reader says "em dash"; words say what it means.
    let said = |s: String| {
        if s == UNDEFINED {
            l10n.t("fairness-undefined")
        } else {
            s
        }
    };
    let ratio_said = |x: Option<f64>| said(ratio(l10n, x));
    let wait_said = |ms: Option<i64>| said(wait(l10n, ms));
    let mut out = vec![plain(l10n.ta(
        "fairness-line-title",
        &args![
            "room" => app.room_title(room),
            "window" => window.label(l10n),
            "seq" => f.seq as i64,
        ],
    ))];
    out.push(plain(l10n.ta(
        "fairness-totals",
        &args![
            "turns" => f.turns,
            "time" => l10n.formats().duration(f.speaking_ms),
            "count" => f.delegations_present,
        ],
    )));
    out.push(plain(
        l10n.ta("fairness-gini", &args!["gini" => ratio_said(f.gini)]),
    ));
    out.push(plain(l10n.ta(
        "fairness-spread",
        &args!["spread" => ratio_said(f.representation_spread)],
    )));
    out.push(plain(requests_line(l10n, f)));
    for g in &f.stakeholders {
        out.push(plain(l10n.ta(
            "fairness-line-group",
            &args![
                "group" => group_name(l10n, g.stakeholder),
                "turns" => g.turns,
                "time" => l10n.formats().duration(g.speaking_ms),
                "share" => percent(l10n, g.share),
                "presence" => percent(l10n, g.presence_share),
                "ratio" => ratio_said(g.representation),
                "median" => wait_said(g.wait_median_ms),
                "p90" => wait_said(g.wait_p90_ms),
                "unserved" => g.requests.unserved,
            ],
        )));
    }
    for d in &f.delegations {
        out.push(plain(l10n.ta(
            "fairness-line-delegation",
            &args![
                "delegation" => delegation_label(app, d),
                "group" => group_name(l10n, d.stakeholder),
                "turns" => d.turns,
                "time" => l10n.formats().duration(d.speaking_ms),
                "share" => percent(l10n, d.share),
                "median" => wait_said(d.wait_median_ms),
            ],
        )));
    }
    out.push(plain(l10n.ta(
        "fairness-violations",
        &args!["count" => f.precedence_violations.len()],
    )));
    for v in &f.precedence_violations {
        out.push(violation(app, f, v));
    }
    out.push(plain(l10n.ta(
        "fairness-interventions",
        &args!["count" => f.interventions.len()],
    )));
    for i in &f.interventions {
        out.push(format!(
            "{} {}",
            crate::bidi::strip_isolates(&app.time_of_day(i.ts)).into_owned(),
            intervention(l10n, i)
        ));
    }
    out
}

/// `Requests for the floor: 4 · served 3 · withdrawn 1 · never served 0`.
pub fn requests_line(l10n: &Localizer, f: &Fairness) -> String {
    let r = f.requests;
    l10n.ta(
        "fairness-requests",
        &args![
            "made" => r.made,
            "served" => r.served,
            "withdrawn" => r.withdrawn,
            "unserved" => r.unserved,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l10n(tag: &str) -> Localizer {
        Localizer::for_tag(tag)
    }

    #[test]
    fn a_share_is_a_percentage_with_one_decimal_in_the_locale() {
        assert_eq!(percent(&l10n("en"), 0.4748), "47.5%");
        assert_eq!(percent(&l10n("en"), 0.0), "0.0%");
        assert_eq!(percent(&l10n("en"), 1.0), "100.0%");
        assert_eq!(percent(&l10n("fr"), 0.4748), "47,5 %");
        assert_eq!(percent(&l10n("zh-CN"), 0.178), "17.8%");
    }

    #[test]
    fn an_undefined_figure_is_a_dash() {
        let en = l10n("en");
        assert_eq!(ratio(&en, None), UNDEFINED);
        assert_eq!(ratio(&en, Some(f64::NAN)), UNDEFINED);
        assert_eq!(ratio(&en, Some(0.3814)), "0.38");
        assert_eq!(ratio(&en, Some(1.0)), "1.00");
        assert_eq!(ratio(&l10n("ru"), Some(1.9021)), "1,90");
        assert_eq!(wait(&en, None), UNDEFINED);
        assert_eq!(wait(&en, Some(95_000)), "1:35");
    }

    #[test]
    fn a_bar_ends_to_an_eighth_of_a_cell() {
        let cells = bar(0.5, None, 1.0, 10, false);
        assert_eq!(bar_text(&cells, false), "█████     ");
        let cells = bar(0.55, None, 1.0, 10, false);
        assert_eq!(bar_text(&cells, false), "█████▌    ");
        let cells = bar(1.0, None, 1.0, 4, false);
        assert_eq!(bar_text(&cells, false), "████");
    }

    #[test]
    fn a_bar_never_hides_a_share_above_zero() {
        let cells = bar(0.0001, None, 1.0, 10, false);
        assert_eq!(bar_text(&cells, false), "▏         ");
        let cells = bar(0.0, None, 1.0, 10, false);
        assert_eq!(bar_text(&cells, false), "          ");
    }

    #[test]
    fn a_mirrored_bar_grows_from_the_right_to_a_half_cell() {
        let cells = bar(0.55, None, 1.0, 10, true);
        assert_eq!(bar_text(&cells, true), "    ▐█████");
        assert_eq!(
            cells[0],
            ("█", BarPart::Fill),
            "growth order starts at the bar's start"
        );
    }

    #[test]
    fn the_marker_shows_the_share_of_delegations_present() {
        // Heard less than its numbers: the bar ends short of the marker.
        let cells = bar(0.2, Some(0.5), 1.0, 10, false);
        assert_eq!(bar_text(&cells, false), "██   ┃    ");
        // Heard more: the marker notches the bar.
        let cells = bar(0.8, Some(0.5), 1.0, 10, false);
        assert_eq!(bar_text(&cells, false), "█████┃██  ");
        let cells = bar(0.8, Some(0.5), 1.0, 10, true);
        assert_eq!(bar_text(&cells, true), "  ██┃█████");
        // The scale is the largest share shown, so a marker at it is the last cell.
        let cells = bar(0.1, Some(0.4), 0.4, 8, false);
        assert_eq!(bar_text(&cells, false), "██     ┃");
    }

    #[test]
    fn windows_are_parsed_from_the_slash_command() {
        assert_eq!(Window::parse(""), Some(Window::Whole));
        assert_eq!(Window::parse("all"), Some(Window::Whole));
        assert_eq!(Window::parse("15m"), Some(Window::LastMinutes(15)));
        assert_eq!(Window::parse("15 min"), Some(Window::LastMinutes(15)));
        assert_eq!(Window::parse("30"), Some(Window::LastMinutes(30)));
        assert_eq!(Window::parse("2h"), Some(Window::LastMinutes(120)));
        assert_eq!(Window::parse("0"), None);
        assert_eq!(Window::parse("soon"), None);
    }

    #[test]
    fn tab_goes_round_the_windows() {
        assert_eq!(Window::Whole.next(), Window::LastMinutes(60));
        assert_eq!(Window::LastMinutes(60).next(), Window::LastMinutes(15));
        assert_eq!(Window::LastMinutes(15).next(), Window::Whole);
        assert_eq!(Window::LastMinutes(45).next(), Window::Whole);
        assert_eq!(Window::LastMinutes(15).from(1_000_000), Some(100_000));
        assert_eq!(Window::Whole.from(1_000_000), None);
    }
}
