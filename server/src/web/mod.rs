//! The public, read-only web pages, on the server's own port: the public
//! rooms (`/`), each one's record of proceedings, live (`/rooms/{id}`,
//! with Server-Sent Events at `/rooms/{id}/events`), and its fairness
//! figures with charts (`/rooms/{id}/fairness`).
//!
//! A tour:
//! - `mod.rs` (here): the routes, the language of a page, and what every
//!   answer carries (a Content-Security-Policy, no caching), the rate
//!   limit per address, and 404 for a room that is not public.
//! - `page.rs`: the HTML, rendered on the server with maud (every value
//!   escaped); the pages work without JavaScript.
//! - `record.rs`: one event as the public reads it, in the verbatim
//!   records' style; the page and the live stream render it alike. What
//!   an event says comes from the `words` crate, spoken in the public's
//!   voice (`i18n::Public`); this module only lays it out.
//! - `live.rs`: the live stream; the event's seq is its SSE `id`, so a
//!   browser that reconnects resumes with `Last-Event-ID`, with no gap.
//! - `chart.rs`: the fairness charts, drawn as SVG on the server.
//!
//! Nothing on a page names a guest or an observer, and nothing comes from
//! a token: the pages read the record, which holds neither.

mod chart;
mod live;
mod page;
mod record;

use crate::i18n::{Lang, Words};
use crate::shared::Shared;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

/// Scripts and styles from this server only, nothing inline, no frames,
/// no plugins; the live stream is the only connection a page makes.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The script that appends live events to the record (the page reads the
/// same record without it, on reload).
const LIVE_JS: &str = include_str!("live.js");
const STYLE: &str = include_str!("dais.css");
const ICON: &str = include_str!("favicon.svg");

/// The routes of the public pages. `/` itself is routed by the server,
/// which tells a websocket handshake from a browser (see [`index`]).
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/rooms/{id}", get(room))
        .route("/rooms/{id}/fairness", get(fairness))
        .route("/rooms/{id}/events", get(live::events))
        .route("/static/live.js", get(script))
        .route("/static/dais.css", get(style))
        .route("/static/favicon.svg", get(icon))
        .fallback(not_found_anywhere)
}

/// `?lang=` (one of the six) and, for the fairness page, a window.
#[derive(Debug, Default, Deserialize)]
pub struct Params {
    lang: Option<String>,
    /// The live stream starts after this seq (a reconnect's
    /// `Last-Event-ID` wins over it).
    since: Option<u64>,
    from: Option<i64>,
    to: Option<i64>,
}

/// The reader's language: `?lang=` when it names one of the six, else
/// the best of `Accept-Language`, else English.
fn words(params: &Params, headers: &HeaderMap) -> &'static Words {
    if let Some(lang) = params.lang.as_deref().and_then(Lang::from_tag) {
        return Words::of(lang);
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    Words::of(Lang::from_accept_language(accept))
}

/// Headers every public answer carries.
fn secure(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn html(status: StatusCode, body: maud::Markup) -> Response {
    secure(
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body.into_string(),
        )
            .into_response(),
    )
}

/// Whether `addr` may have another page now; the 429 if not.
// The error is the answer itself, handed straight back to hyper: boxing
// it would only add an allocation (as in ws::accept).
#[allow(clippy::result_large_err)]
fn admit(shared: &Shared, addr: SocketAddr) -> Result<(), Response> {
    if shared.gate.page(addr.ip(), std::time::Instant::now()) {
        return Ok(());
    }
    crate::metrics::add(&crate::metrics::CONNECTIONS_REFUSED, 1);
    Err(secure(
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(
                header::RETRY_AFTER,
                crate::gate::RETRY_AFTER.as_secs().to_string(),
            )],
            "too_many_requests\n",
        )
            .into_response(),
    ))
}

/// The same 404 for a room that does not exist, is closed, or is private:
/// a closed session does not say it exists.
fn not_found(w: &Words) -> Response {
    html(StatusCode::NOT_FOUND, page::not_found(w))
}

async fn not_found_anywhere(headers: HeaderMap) -> Response {
    not_found(words(&Params::default(), &headers))
}

/// `/` for a browser: the public rooms.
pub async fn index(
    shared: Arc<Shared>,
    addr: SocketAddr,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Response {
    if let Err(refused) = admit(&shared, addr) {
        return refused;
    }
    let params: Params = query.and_then(serde_urlencoded_lite).unwrap_or_default();
    let w = words(&params, headers);
    let rooms = shared.registry.public_rooms(w.tag());
    html(StatusCode::OK, page::index(w, &rooms))
}

/// The one parameter `/` takes, `lang`, read without a query parser of
/// its own (the websocket handshake shares the route).
fn serde_urlencoded_lite(query: &str) -> Option<Params> {
    let lang = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .map(str::to_string);
    Some(Params {
        lang,
        ..Params::default()
    })
}

async fn room(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Response {
    if let Err(refused) = admit(&shared, addr) {
        return refused;
    }
    let w = words(&params, &headers);
    let Some(listing) = shared.registry.public_room(&id, w.tag()) else {
        return not_found(w);
    };
    // The latest seq first, then what is on disk up to it: the live
    // stream picks up from there.
    let Some((last, _)) = shared.registry.watch(&id) else {
        return not_found(w);
    };
    shared.store.flush().await;
    let events = shared.store.all_events(&id).await;
    let events = match events {
        Ok(mut e) => {
            e.retain(|f| f.seq <= last);
            e
        }
        Err(e) => {
            tracing::error!(room = %id, error = %e, "cannot read the record for the page");
            return html(StatusCode::INTERNAL_SERVER_ERROR, page::not_found(w));
        }
    };
    html(StatusCode::OK, page::room(w, &listing, &events, last))
}

async fn fairness(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
    headers: HeaderMap,
) -> Response {
    if let Err(refused) = admit(&shared, addr) {
        return refused;
    }
    let w = words(&params, &headers);
    let (Some(listing), Some(handle)) = (
        shared.registry.public_room(&id, w.tag()),
        shared.registry.room(&id),
    ) else {
        return not_found(w);
    };
    let window = crate::fairness::Window {
        from: params.from,
        to: params.to.filter(|to| params.from.is_none_or(|f| *to > f)),
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    let cmd = crate::room::actor::Cmd::Fairness {
        who: None,
        window,
        reply: tx,
    };
    let figures = match handle.send(cmd).await {
        Ok(()) => rx.await.ok().and_then(Result::ok),
        Err(_) => None,
    };
    let Some(figures) = figures else {
        return not_found(w);
    };
    html(StatusCode::OK, page::fairness(w, &listing, &figures))
}

/// One of the pages' own files, compiled in, with its caching rule and the
/// same security headers as the pages.
fn asset(content_type: &'static str, cache_control: &'static str, body: &'static str) -> Response {
    secure(
        (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, cache_control),
            ],
            body,
        )
            .into_response(),
    )
}

async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        "public, max-age=300",
        LIVE_JS,
    )
}

async fn icon() -> Response {
    asset("image/svg+xml", "public, max-age=86400", ICON)
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", "public, max-age=300", STYLE)
}
