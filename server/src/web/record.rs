//! One event of the record as the public reads it: a list item, in the
//! reader's language, in the style of the UN verbatim records ("Marta Ruiz
//! (Uruguay) (spoke in Spanish):"), with the interpretation into the
//! reader's language when there is one and a link to the original. The
//! page and the live stream render events with the same function, so a
//! live item is exactly what a reload shows.

use crate::export::same_language;
use crate::i18n::{clock, public_name, Public, Words};
use dais_protocol::{Actor, Event, EventFrame, Seq};
use fluent_bundle::FluentArgs;
use maud::{html, Markup};

/// The first letter in upper case ("a guest asks..." at the start of a
/// line), past the isolation marks Fluent puts around names.
pub fn capitalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut done = false;
    for c in text.chars() {
        if !done && !matches!(c, '\u{2066}'..='\u{2069}') {
            out.extend(c.to_uppercase());
            done = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// "Marta Ruiz (Uruguay)", or "A guest", and "(spoke in Spanish)" when the
/// speech is not in the reader's language: a link to the original (`to`)
/// when the reader is shown an interpretation.
fn speaker(w: &Words, by: &Actor, lang: &str, to: Option<&str>) -> Markup {
    let shown = public_name(w, by, true);
    let s = if by.delegation.is_empty() || by.guest {
        capitalized(&shown)
    } else {
        let mut args = FluentArgs::new();
        args.set("name", shown);
        args.set("delegation", by.delegation.clone());
        w.ta("web-speaker", &args)
    };
    let spoke_in = (lang != "und" && !same_language(lang, w.tag())).then(|| {
        let mut args = FluentArgs::new();
        args.set("lang", w.language(lang));
        w.ta("web-spoke-in", &args)
    });
    html! {
        (s)
        @if let Some(spoke_in) = spoke_in {
            " "
            @if let Some(to) = to {
                a href=(format!("#{to}")) { (spoke_in) }
            } @else {
                (spoke_in)
            }
        }
        ":"
    }
}

fn meta(frame: &EventFrame) -> Markup {
    let (hms, iso) = clock(frame.ts);
    let anchor = format!("#e{}", frame.seq);
    html! {
        p.meta {
            a.seq href=(anchor) { (frame.seq) }
            " "
            time datetime=(iso) { (hms) }
        }
    }
}

/// A person's text (a speech, a ruling, a reason): its own language, its
/// own direction, line breaks kept by the style sheet.
fn text(body: &str, lang: &str) -> Markup {
    let lang = if lang == "und" { "" } else { lang };
    html! {
        p.text lang=(lang) dir="auto" { (body) }
    }
}

/// The list item of one event, or none for what is shown elsewhere (an
/// interpretation is shown with its speech). `interpretation` is the
/// interpretation of this speech into the reader's language, if any;
/// `lookup` finds the message a right of reply answers.
pub fn item<'a>(
    w: &Words,
    frame: &'a EventFrame,
    interpretation: Option<&EventFrame>,
    lookup: &dyn Fn(Seq) -> Option<&'a EventFrame>,
) -> Option<Markup> {
    match &frame.event {
        Event::Interpretation { .. } => None,
        Event::Speech {
            by,
            text: said,
            lang,
        } => Some(speech(w, frame, by, said, lang, interpretation)),
        _ => notice(w, frame, lookup),
    }
}

/// A speech, with its interpretation into the reader's language when there
/// is one, and the original behind a link.
fn speech(
    w: &Words,
    frame: &EventFrame,
    by: &Actor,
    said: &str,
    lang: &str,
    interpretation: Option<&EventFrame>,
) -> Markup {
    let id = format!("e{}", frame.seq);
    let seq = frame.seq.to_string();
    let shown = interpretation.and_then(|i| match &i.event {
        Event::Interpretation {
            text, lang: into, ..
        } if same_language(into, w.tag()) && !same_language(lang, w.tag()) => {
            Some((text.as_str(), into.as_str()))
        }
        _ => None,
    });
    let original = format!("o{}", frame.seq);
    let mut args = FluentArgs::new();
    args.set("lang", w.language(lang));
    let original_label = w.ta("web-original", &args);
    html! {
        li.speech id=(id) data-seq=(seq) lang=(w.tag()) {
            (meta(frame))
            p.speaker { (speaker(w, by, lang, shown.map(|_| original.as_str()))) }
            @match shown {
                Some((interpreted, into)) => {
                    (text(interpreted, into))
                    details.original {
                        summary { (original_label) }
                        blockquote id=(original) lang=(lang) dir="auto" { (said) }
                    }
                }
                None => { (text(said, lang)) }
            }
        }
    }
}

/// Any other event: its sentence from `words`, the reason, and what a
/// person wrote with it.
fn notice<'a>(
    w: &Words,
    frame: &'a EventFrame,
    lookup: &dyn Fn(Seq) -> Option<&'a EventFrame>,
) -> Option<Markup> {
    let said = dais_words::describe(frame, lookup)?;
    let voice = Public(w);
    let mut line = capitalized(&said.render(&voice));
    if let Some(out_of_order) = said.out_of_order(&voice) {
        line.push_str(&format!(" ({out_of_order})"));
    }
    let event = &frame.event;
    let class = match event {
        Event::FloorGranted { .. } => "notice floor",
        Event::Announcement { .. } | Event::Ruling { .. } => "notice chair",
        Event::PointOfOrder { .. } => "notice point",
        _ => "notice",
    };
    Some(html! {
        li class=(class) id=(format!("e{}", frame.seq)) data-seq=(frame.seq.to_string()) lang=(w.tag()) {
            (meta(frame))
            p.line {
                (line)
                @if let Some(reason) = said.facts.reason {
                    " (" span dir="auto" { (reason) } ")"
                }
            }
            @if let Some(written) = said.facts.written {
                (text(written.text, written.lang.unwrap_or("und")))
            }
            @match event {
                Event::PollOpened { options, .. } => {
                    ol.options { @for o in options { li dir="auto" { (o) } } }
                }
                Event::PollClosed { options, counts, .. } => {
                    ul.options {
                        @for (o, c) in options.iter().zip(counts) {
                            li { span dir="auto" { (o) } ": " (c) }
                        }
                    }
                }
                _ => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use dais_protocol::{Role, Stakeholder};

    fn frame(seq: u64, event: Event) -> EventFrame {
        EventFrame {
            room: "r".into(),
            seq,
            ts: 1_767_261_640_000,
            event,
        }
    }

    fn marta() -> Actor {
        Actor {
            id: "p-1".into(),
            name: "Marta Ruiz".into(),
            delegation: "Uruguay".into(),
            stakeholder: Stakeholder::Government,
            role: Role::Delegate,
            guest: false,
        }
    }

    fn plain(s: &str) -> String {
        s.chars()
            .filter(|c| !matches!(c, '\u{2066}'..='\u{2069}'))
            .collect()
    }

    #[test]
    fn a_speech_reads_as_in_a_verbatim_record_with_its_interpretation() {
        let speech = frame(
            43,
            Event::Speech {
                by: marta(),
                text: "Gracias, señora Presidenta.".into(),
                lang: "es".into(),
            },
        );
        let interp = frame(
            44,
            Event::Interpretation {
                by: marta(),
                of: 43,
                text: "Thank you, Madam Chair.".into(),
                lang: "en".into(),
            },
        );
        let html = plain(
            &item(Words::for_tag("en"), &speech, Some(&interp), &|_| None)
                .unwrap()
                .into_string(),
        );
        assert!(html.contains("Marta Ruiz (Uruguay)"), "{html}");
        assert!(
            html.contains(r#"<p class="text" lang="en" dir="auto">Thank you, Madam Chair.</p>"#),
            "{html}"
        );
        assert!(
            html.contains(r##"(Uruguay) <a href="#o43">(spoke in Spanish)</a>:"##)
                && html.contains("<summary>Original (Spanish)</summary>"),
            "{html}"
        );
        assert!(html.contains(r#"<blockquote id="o43" lang="es" dir="auto">Gracias, señora Presidenta.</blockquote>"#), "{html}");
        // Read in Spanish: the original, and no "spoke in".
        let es = plain(
            &item(Words::for_tag("es"), &speech, Some(&interp), &|_| None)
                .unwrap()
                .into_string(),
        );
        assert!(!es.contains("habla en"), "{es}");
        assert!(!es.contains("Thank you"), "{es}");
    }

    #[test]
    fn markup_in_a_speech_is_text_and_a_guest_is_not_named() {
        let mut guest = marta();
        guest.guest = true;
        guest.name = "<b>Evil</b>".into();
        guest.delegation = String::new();
        let speech = frame(
            7,
            Event::Speech {
                by: guest,
                text: "<script>alert(1)</script>".into(),
                lang: "en".into(),
            },
        );
        let html = item(Words::for_tag("en"), &speech, None, &|_| None)
            .unwrap()
            .into_string();
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("Evil"), "{html}");
        assert!(plain(&html).contains("A guest:"), "{html}");
    }

    /// issue 16: the export and the public page say every event of the
    /// table in the six languages with the same facts as the transcript
    /// and line mode (the class of a turn, the right of reply's target, a
    /// guest marked once).
    #[test]
    fn the_export_and_the_public_page_carry_the_facts_of_every_event() {
        use crate::export::Export;
        use crate::i18n::Lang;
        use dais_words::{describe, in_slice, table};
        let frames = table::events();
        let unescape = |s: String| {
            s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        };
        for lang in Lang::ALL {
            let w = Words::of(lang);
            let guest = w.t("web-a-guest");
            for frame in &frames {
                let Some(said) = describe(frame, &in_slice(&frames)) else {
                    continue;
                };
                let kind = table::kind(&frame.event);
                // A speech and its interpretations are laid out apart.
                if matches!(
                    frame.event,
                    Event::Speech { .. } | Event::Interpretation { .. }
                ) {
                    continue;
                }
                let export = crate::export::notice(&Export(w), frame, &frames).unwrap_or_default();
                if let Err(e) = table::carries(w, &said, &export, &guest) {
                    panic!("{lang} {kind} export: {e}");
                }
                let page = item(w, frame, None, &in_slice(&frames))
                    .map(|m| unescape(m.into_string()))
                    .unwrap_or_default();
                if let Err(e) = table::carries(w, &said, &page, &guest) {
                    panic!("{lang} {kind} public page: {e}");
                }
            }
        }
    }
}
