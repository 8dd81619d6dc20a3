//! The fairness charts, drawn on the server as SVG: horizontal bars with
//! their labels and values written out, so a chart reads without script,
//! prints, and is described to a screen reader by its title (the tables
//! under each chart carry the same figures). In a right-to-left page the
//! bars grow from the right.

use crate::i18n::{self, delegation_label, Words};
use dais_protocol::Fairness;
use maud::{html, Markup};

const WIDTH: f64 = 720.0;
/// Room for the labels, on the side the bars start from.
const LABEL: f64 = 230.0;
/// Room for the values, at the bars' far end.
const VALUE: f64 = 80.0;
const BAR: f64 = 14.0;
/// Colours with at least 4.5:1 contrast on white, for text and bars alike.
const SPEAKING: &str = "#1d4f91";
const PRESENT: &str = "#8a4b08";
const INK: &str = "#1a1a1a";

/// One bar: where it starts and how long it is, mirrored for RTL.
fn bar_x(rtl: bool, fraction: f64) -> (f64, f64) {
    let span = WIDTH - LABEL - VALUE;
    let len = (fraction.clamp(0.0, 1.0) * span).max(if fraction > 0.0 { 1.0 } else { 0.0 });
    if rtl {
        (WIDTH - LABEL - len, len)
    } else {
        (LABEL, len)
    }
}

/// Where a label is written and how it is anchored.
fn label_x(rtl: bool) -> (f64, &'static str) {
    if rtl {
        (WIDTH - LABEL + 8.0, "start")
    } else {
        (LABEL - 8.0, "end")
    }
}

fn value_x(rtl: bool, x: f64, len: f64) -> (f64, &'static str) {
    if rtl {
        (x - 6.0, "end")
    } else {
        (x + len + 6.0, "start")
    }
}

fn svg(id: &str, title: &str, height: f64, body: Markup) -> Markup {
    let title_id = format!("{id}-title");
    // Always `direction="ltr"`: the anchors are placed for each direction
    // already, and an Arabic page's inherited `rtl` would flip them again
    // (each label's own script still reads in its own direction).
    html! {
        svg.chart id=(id) xmlns="http://www.w3.org/2000/svg" role="img"
            aria-labelledby=(title_id) viewBox=(format!("0 0 {WIDTH} {height}"))
            width="100%" direction="ltr" font-family="sans-serif" font-size="13" {
            title id=(title_id) { (title) }
            (body)
        }
    }
}

/// Share of speaking time beside share of the delegations present, per
/// stakeholder group: where the two bars differ, the group was heard more
/// (or less) than its numbers.
pub fn groups(w: &Words, f: &Fairness) -> Markup {
    let rtl = w.rtl();
    let row = 3.0 * BAR + 12.0;
    let legend = 28.0;
    let height = legend + row * f.stakeholders.len().max(1) as f64;
    let (lx, anchor) = label_x(rtl);
    let (legend_x, legend_anchor) = if rtl {
        (WIDTH - 4.0, "end")
    } else {
        (4.0, "start")
    };
    svg(
        "chart-groups",
        &w.t("web-chart-groups"),
        height,
        html! {
            g.legend {
                rect x=(if rtl { WIDTH - 16.0 } else { 4.0 }) y="6" width="12" height="12" fill=(SPEAKING) {}
                text x=(if rtl { legend_x - 18.0 } else { legend_x + 18.0 }) y="16" text-anchor=(legend_anchor) fill=(INK) { (w.t("fair-share")) }
                rect x=(if rtl { WIDTH / 2.0 - 16.0 } else { WIDTH / 2.0 }) y="6" width="12" height="12" fill=(PRESENT) {}
                text x=(if rtl { WIDTH / 2.0 - 22.0 } else { WIDTH / 2.0 + 18.0 }) y="16" text-anchor=(legend_anchor) fill=(INK) { (w.t("fair-presence")) }
            }
            @for (i, g) in f.stakeholders.iter().enumerate() {
                @let y = legend + i as f64 * row;
                @let (sx, slen) = bar_x(rtl, g.share);
                @let (px, plen) = bar_x(rtl, g.presence_share);
                @let (svx, sva) = value_x(rtl, sx, slen);
                @let (pvx, pva) = value_x(rtl, px, plen);
                g.group {
                    text x=(lx) y=(y + BAR + 4.0) text-anchor=(anchor) fill=(INK) { (w.stakeholder(g.stakeholder)) }
                    rect x=(sx) y=(y) width=(slen) height=(BAR) fill=(SPEAKING) {}
                    text x=(svx) y=(y + BAR - 2.0) text-anchor=(sva) fill=(INK) { (format!("{:.1} %", g.share * 100.0)) }
                    rect x=(px) y=(y + BAR + 4.0) width=(plen) height=(BAR) fill=(PRESENT) {}
                    text x=(pvx) y=(y + 2.0 * BAR + 2.0) text-anchor=(pva) fill=(INK) { (format!("{:.1} %", g.presence_share * 100.0)) }
                }
            }
        },
    )
}

/// Most delegations shown in the chart (the table lists every one).
const MOST: usize = 40;

/// Speaking time per delegation present, silent ones included, most first.
pub fn delegations(w: &Words, f: &Fairness) -> Markup {
    let rtl = w.rtl();
    let row = BAR + 8.0;
    let shown: Vec<_> = f.delegations.iter().take(MOST).collect();
    let height = 8.0 + row * shown.len().max(1) as f64;
    let most = shown
        .iter()
        .map(|d| d.speaking_ms)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let (lx, anchor) = label_x(rtl);
    svg(
        "chart-delegations",
        &w.t("web-chart-delegations"),
        height,
        html! {
            @for (i, d) in shown.iter().enumerate() {
                @let y = 4.0 + i as f64 * row;
                @let (x, len) = bar_x(rtl, d.speaking_ms as f64 / most);
                @let (vx, va) = value_x(rtl, x, len);
                g.delegation {
                    text x=(lx) y=(y + BAR - 2.0) text-anchor=(anchor) fill=(INK) { (delegation_label(w, d)) }
                    rect x=(x) y=(y) width=(len) height=(BAR) fill=(SPEAKING) {}
                    text x=(vx) y=(y + BAR - 2.0) text-anchor=(va) fill=(INK) { (i18n::duration(d.speaking_ms)) }
                }
            }
        },
    )
}
