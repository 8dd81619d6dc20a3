//! The pages, as maud templates: every value is escaped as it is written,
//! so what a person typed can only ever be text.

use super::chart;
use super::record::{capitalized, item};
use crate::i18n::{self, delegation_label, public_name, Lang, Words};
use crate::registry::PublicRoom;
use dais_protocol::{Event, EventFrame, Fairness, Seq};
use fluent_bundle::FluentArgs;
use maud::{html, Markup, DOCTYPE};
use std::collections::HashMap;

/// A link to `path` in the reader's language.
fn href(path: &str, w: &Words) -> String {
    format!("{path}?lang={}", w.tag())
}

/// Every page: the language and its direction, the switcher, the way back.
fn layout(w: &Words, title: &str, path: &str, body: Markup) -> Markup {
    let dir = if w.rtl() { "rtl" } else { "ltr" };
    html! {
        (DOCTYPE)
        html lang=(w.tag()) dir=(dir) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Dais" }
                link rel="stylesheet" href="/static/dais.css";
                link rel="icon" href="/static/favicon.svg" type="image/svg+xml";
                script src="/static/live.js" defer {}
            }
            body {
                header {
                    nav.languages aria-label=(w.t("web-language")) {
                        ul {
                            @for lang in Lang::ALL {
                                @let tag = lang.tag();
                                @let own = Words::of(lang);
                                @let label = capitalized(&own.language(tag));
                                li {
                                    @if tag == w.tag() {
                                        a href=(href(path, own)) lang=(tag) hreflang=(tag) aria-current="page" { (label) }
                                    } @else {
                                        a href=(href(path, own)) lang=(tag) hreflang=(tag) { (label) }
                                    }
                                }
                            }
                        }
                    }
                    p.site { a href=(href("/", w)) { (w.t("web-back")) } }
                }
                main { (body) }
            }
        }
    }
}

pub fn not_found(w: &Words) -> Markup {
    layout(
        w,
        "404",
        "/",
        html! {
            h1 { "404" }
            p { (w.t("web-rooms-none")) }
        },
    )
}

pub fn index(w: &Words, rooms: &[PublicRoom]) -> Markup {
    layout(
        w,
        &w.t("web-rooms"),
        "/",
        html! {
            h1 { (w.t("web-title")) }
            h2 { (w.t("web-rooms")) }
            @if rooms.is_empty() {
                p { (w.t("web-rooms-none")) }
            } @else {
                ul.rooms {
                    @for r in rooms {
                        li {
                            a href=(href(&format!("/rooms/{}", r.id), w)) dir="auto" { (r.title) }
                            " · " (w.t(i18n::mode_id(r.mode)))
                            " · " a href=(href(&format!("/rooms/{}/fairness", r.id), w)) { (w.t("web-fairness")) }
                            @if !r.description.is_empty() {
                                p dir="auto" { (r.description) }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The tabs of a room's pages.
fn room_nav(w: &Words, room: &PublicRoom, current: &str) -> Markup {
    let record = format!("/rooms/{}", room.id);
    let fairness = format!("/rooms/{}/fairness", room.id);
    html! {
        nav.tabs aria-label=(room.title) {
            ul {
                @for (path, id) in [(&record, "web-record"), (&fairness, "web-fairness")] {
                    li {
                        @if id == current {
                            a href=(href(path, w)) aria-current="page" { (w.t(id)) }
                        } @else {
                            a href=(href(path, w)) { (w.t(id)) }
                        }
                    }
                }
            }
        }
    }
}

/// A room's record of proceedings, up to event `last`, and the address of
/// its live stream from there.
pub fn room(w: &Words, room: &PublicRoom, events: &[EventFrame], last: Seq) -> Markup {
    // Each speech's interpretation into the reader's language, if any.
    let mut interpretations: HashMap<Seq, &EventFrame> = HashMap::new();
    for e in events {
        if let Event::Interpretation { of, lang, .. } = &e.event {
            if crate::export::same_language(lang, w.tag()) {
                interpretations.insert(*of, e);
            }
        }
    }
    let stream = format!("/rooms/{}/events?lang={}&since={last}", room.id, w.tag());
    let items: Vec<Markup> = events
        .iter()
        .filter_map(|e| {
            item(
                w,
                e,
                interpretations.get(&e.seq).copied(),
                &dais_words::in_slice(events),
            )
        })
        .collect();
    layout(
        w,
        &room.title,
        &format!("/rooms/{}", room.id),
        html! {
            h1 dir="auto" { (room.title) }
            @if !room.description.is_empty() { p.description dir="auto" { (room.description) } }
            (room_nav(w, room, "web-record"))
            h2 { (w.t("web-record")) }
            p.live { (w.t("web-live")) }
            @if items.is_empty() {
                p #empty { (w.t("web-no-events")) }
            }
            ol #record data-stream=(stream) {
                @for i in items { (i) }
            }
        },
    )
}

fn ratio(w: &Words, x: Option<f64>) -> String {
    x.map(|x| format!("{x:.2}"))
        .unwrap_or_else(|| w.t("fair-undefined"))
}

fn percent(x: f64) -> String {
    format!("{:.1} %", x * 100.0)
}

fn wait(w: &Words, ms: Option<i64>) -> String {
    ms.map(i18n::duration)
        .unwrap_or_else(|| w.t("fair-undefined"))
}

pub fn fairness(w: &Words, room: &PublicRoom, f: &Fairness) -> Markup {
    let mut args = FluentArgs::new();
    args.set("turns", i64::from(f.turns));
    args.set("time", i18n::duration(f.speaking_ms));
    args.set("count", i64::from(f.delegations_present));
    let summary = w.ta("fair-summary", &args);
    let r = f.requests;
    // A participant of no delegation is named by id in the figures: the
    // public reads "a guest" instead.
    let label = |s: &str| {
        f.delegations
            .iter()
            .find(|d| d.participant.as_deref() == Some(s))
            .map(|d| delegation_label(w, d))
            .unwrap_or_else(|| s.to_string())
    };
    let violations: Vec<(Seq, String)> = f
        .precedence_violations
        .iter()
        .map(|v| {
            let mut args = FluentArgs::new();
            args.set("turn", v.turn as i64);
            args.set("who", label(&v.to));
            let waiting: Vec<String> = v.waiting.iter().map(|d| label(d)).collect();
            args.set("waiting", waiting.join(", "));
            (v.seq, w.ta("fair-violation", &args))
        })
        .collect();
    layout(
        w,
        &format!("{} · {}", room.title, w.t("web-fairness")),
        &format!("/rooms/{}/fairness", room.id),
        html! {
            h1 dir="auto" { (room.title) }
            (room_nav(w, room, "web-fairness"))
            h2 { (w.t("web-fairness")) }
            p { (summary) " " (w.t("fair-whole-record")) }
            dl.figures {
                dt { (w.t("fair-gini")) } dd { (ratio(w, f.gini)) }
                dt { (w.t("fair-spread")) } dd { (ratio(w, f.representation_spread)) }
                dt { (w.t("fair-requests")) }
                dd { (r.made) " (" (w.t("fair-served")) " " (r.served) ", " (w.t("fair-withdrawn")) " " (r.withdrawn) ", " (w.t("fair-unserved")) " " (r.unserved) ")" }
            }
            figure.chart {
                (chart::groups(w, f))
                figcaption { (w.t("web-chart-groups")) }
            }
            table.figures {
                caption { (w.t("fair-group")) }
                thead { tr {
                    th scope="col" { (w.t("fair-group")) }
                    th scope="col" { (w.t("fair-present")) }
                    th scope="col" { (w.t("fair-turns")) }
                    th scope="col" { (w.t("fair-speaking")) }
                    th scope="col" { (w.t("fair-share")) }
                    th scope="col" { (w.t("fair-presence")) }
                    th scope="col" { (w.t("fair-representation")) }
                    th scope="col" { (w.t("fair-wait-median")) }
                    th scope="col" { (w.t("fair-wait-p90")) }
                    th scope="col" { (w.t("fair-unserved")) }
                } }
                tbody {
                    @for g in &f.stakeholders {
                        tr {
                            th scope="row" { (w.stakeholder(g.stakeholder)) }
                            td { (g.delegations_present) }
                            td { (g.turns) }
                            td { (i18n::duration(g.speaking_ms)) }
                            td { (percent(g.share)) }
                            td { (percent(g.presence_share)) }
                            td { (ratio(w, g.representation)) }
                            td { (wait(w, g.wait_median_ms)) }
                            td { (wait(w, g.wait_p90_ms)) }
                            td { (g.requests.unserved) }
                        }
                    }
                }
            }
            figure.chart {
                (chart::delegations(w, f))
                figcaption { (w.t("web-chart-delegations")) }
            }
            table.figures {
                caption { (w.t("fair-delegation")) }
                thead { tr {
                    th scope="col" { (w.t("fair-delegation")) }
                    th scope="col" { (w.t("fair-group")) }
                    th scope="col" { (w.t("fair-turns")) }
                    th scope="col" { (w.t("fair-speaking")) }
                    th scope="col" { (w.t("fair-share")) }
                    th scope="col" { (w.t("fair-wait-median")) }
                } }
                tbody {
                    @for d in &f.delegations {
                        tr {
                            th scope="row" dir="auto" { (delegation_label(w, d)) }
                            td { (w.stakeholder(d.stakeholder)) }
                            td { (d.turns) }
                            td { (i18n::duration(d.speaking_ms)) }
                            td { (percent(d.share)) }
                            td { (wait(w, d.wait_median_ms)) }
                        }
                    }
                }
            }
            h3 { (w.t("fair-violations")) }
            @if f.precedence_violations.is_empty() {
                p { (w.t("fair-no-violations")) }
            } @else {
                ul {
                    @for (seq, line) in &violations {
                        li { a href=(href(&format!("/rooms/{}", room.id), w) + &format!("#e{seq}")) { (seq) } " " (line) }
                    }
                }
            }
            h3 { (w.t("fair-interventions")) }
            @if f.interventions.is_empty() {
                p { (w.t("fair-no-interventions")) }
            } @else {
                ul {
                    @for i in &f.interventions {
                        li {
                            a href=(href(&format!("/rooms/{}", room.id), w) + &format!("#e{}", i.seq)) { (i.seq) }
                            " " strong { (w.t(i18n::intervention_id(i.kind))) } ": "
                            (public_name(w, &i.by, true))
                            @if let Some(who) = &i.who { " → " (public_name(w, who, false)) }
                            @if let Some(reason) = &i.reason { " (" span dir="auto" { (reason) } ")" }
                        }
                    }
                }
            }
        },
    )
}
