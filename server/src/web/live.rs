//! A room's record, live, as Server-Sent Events: each event of the record
//! is one SSE message whose `id` is its seq, so a browser that loses the
//! connection (or whose server restarts) comes back with `Last-Event-ID`
//! and gets exactly what it missed, no gap and nothing twice.
//!
//! How it stays gapless: the stream subscribes to the room's feed and
//! learns the seq of the latest event published, under one lock; waits
//! for the store to have everything up to it; reads what the reader
//! missed from the store; then forwards the feed, skipping what it sent
//! already. A stream that falls behind the feed reads the store again.

use super::record::item;
use super::{admit, words, Params};
use crate::i18n::Words;
use crate::shared::Shared;
use axum::body::Body;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use dais_protocol::{Event, EventFrame, Seq};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

/// A comment line this often keeps proxies from closing a quiet stream,
/// and notices a reader that went away.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How soon a browser should try again after the stream broke, in ms.
const RETRY_MS: u32 = 1000;
/// Events read from the store at a time.
const PAGE: usize = 256;

/// `GET /rooms/{id}/events`: the live stream of a public room.
pub async fn events(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    if let Err(refused) = admit(&shared, addr) {
        return refused;
    }
    let w = words(&params, &headers);
    if !shared.registry.is_public(&id) {
        return super::not_found(w);
    }
    let Some((last, feed)) = shared.registry.watch(&id) else {
        return super::not_found(w);
    };
    // Where the reader is: its browser's Last-Event-ID on a reconnect,
    // else what the page it loaded held.
    let since: Seq = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .or(params.since)
        .unwrap_or(0);
    // The stream holds its connection's place in the address's count for
    // as long as it runs, as a websocket does.
    let slot = request
        .extensions()
        .get::<crate::listener::SlotRef>()
        .cloned();
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    tokio::spawn(async move {
        let _slot = slot;
        let stream = Stream {
            shared,
            room: id,
            words: w,
            sent: since.min(last),
            tx,
            speeches: HashMap::new(),
        };
        stream.run(last, feed).await;
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, std::convert::Infallible>(chunk), rx))
    });
    let mut response = Response::new(Body::from_stream(body));
    *response.status_mut() = StatusCode::OK;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    super::secure(response.into_response())
}

/// Why a stream stopped.
enum Stop {
    /// The reader went away.
    Gone,
    /// The room closed or left the public pages: the stream ends, and the
    /// browser is told not to come back.
    Ended,
}

struct Stream {
    shared: Arc<Shared>,
    room: String,
    words: &'static Words,
    /// The seq of the last event sent.
    sent: Seq,
    tx: mpsc::Sender<Bytes>,
    /// Speeches seen, so an interpretation can be shown with its speech.
    speeches: HashMap<Seq, EventFrame>,
}

impl Stream {
    async fn run(mut self, last: Seq, mut feed: broadcast::Receiver<Arc<EventFrame>>) {
        if self
            .send(Bytes::from(format!("retry: {RETRY_MS}\n\n")))
            .await
            .is_err()
        {
            return;
        }
        if self.catch_up(last).await.is_err() {
            return;
        }
        // A signal of this stream's own (polled at every event), and its
        // wait made once, not at every event.
        let signal = self.shared.shutdown.signal();
        let stopped = signal.given();
        tokio::pin!(stopped);
        loop {
            let next = tokio::select! {
                next = tokio::time::timeout(KEEP_ALIVE, feed.recv()) => next,
                // The server is stopping: end without `end`, so that the
                // browser comes back (after `retry`) when it is up again.
                _ = &mut stopped => return,
            };
            let result = match next {
                Err(_) => self.send(Bytes::from_static(b": keep-alive\n\n")).await,
                Ok(Ok(frame)) => {
                    if frame.seq > self.sent + 1 {
                        // Cannot happen with a feed in order, but costs
                        // nothing to be sure of: fill from the store.
                        if self.catch_up(frame.seq - 1).await.is_err() {
                            return;
                        }
                    }
                    self.forward(&frame).await
                }
                Ok(Err(broadcast::error::RecvError::Lagged(_))) => {
                    // Fell behind: the store has what was dropped.
                    match self.shared.registry.watch(&self.room) {
                        Some((last, fresh)) => {
                            feed = fresh;
                            self.catch_up(last).await
                        }
                        None => Err(Stop::Ended),
                    }
                }
                Ok(Err(broadcast::error::RecvError::Closed)) => Err(Stop::Ended),
            };
            match result {
                Ok(()) => {}
                Err(Stop::Gone) => return,
                Err(Stop::Ended) => {
                    let _ = self
                        .send(Bytes::from_static(b"event: end\ndata: end\n\n"))
                        .await;
                    return;
                }
            }
        }
    }

    async fn send(&self, chunk: Bytes) -> Result<(), Stop> {
        self.tx.send(chunk).await.map_err(|_| Stop::Gone)
    }

    /// Everything after `sent` up to `upto`, from the store (after waiting
    /// for it to have them).
    async fn catch_up(&mut self, upto: Seq) -> Result<(), Stop> {
        if self.sent >= upto {
            return Ok(());
        }
        self.shared.store.flush().await;
        while self.sent < upto {
            let want = ((upto - self.sent) as usize).min(PAGE);
            let bodies = self
                .shared
                .store
                .events_after(&self.room, self.sent, want)
                .await
                .map_err(|_| Stop::Gone)?;
            if bodies.is_empty() {
                break;
            }
            for body in bodies {
                let Ok(frame) = serde_json::from_str::<EventFrame>(&body) else {
                    continue;
                };
                self.forward(&frame).await?;
            }
        }
        Ok(())
    }

    /// Send one event, unless it was sent already.
    async fn forward(&mut self, frame: &EventFrame) -> Result<(), Stop> {
        if frame.seq <= self.sent {
            return Ok(());
        }
        let message = self.render(frame).await;
        self.send(Bytes::from(message)).await?;
        self.sent = frame.seq;
        match frame.event {
            Event::RoomUnpublished { .. } | Event::RoomClosed { .. } => Err(Stop::Ended),
            _ => Ok(()),
        }
    }

    /// The SSE message of one event: `record` with the list item to add (or
    /// to replace, for a speech that now has an interpretation), or `skip`
    /// for an event the page does not show, so the id still moves on.
    async fn render(&mut self, frame: &EventFrame) -> String {
        let markup = match &frame.event {
            Event::Speech { .. } => {
                self.speeches.insert(frame.seq, frame.clone());
                item(self.words, frame, None, &|_| None)
            }
            Event::Interpretation { of, .. } => match self.speech(*of).await {
                Some(speech) => item(self.words, &speech, Some(frame), &|_| None),
                None => None,
            },
            Event::ReplyRequested { to, .. } => {
                // The message answered, as the page has it on a reload.
                let target = self.said(*to).await;
                item(self.words, frame, None, &|seq| {
                    target.as_ref().filter(|t| t.seq == seq)
                })
            }
            _ => item(self.words, frame, None, &|_| None),
        };
        match markup {
            Some(m) => {
                // One line of data: line breaks in what people wrote become
                // character references, which HTML reads back as the same
                // line breaks.
                let html = m
                    .into_string()
                    .replace('\r', "&#13;")
                    .replace('\n', "&#10;");
                format!("id: {}\nevent: record\ndata: {html}\n\n", frame.seq)
            }
            None => format!("id: {}\nevent: skip\ndata: {}\n\n", frame.seq, frame.seq),
        }
    }

    /// The event with seq `seq` from the store, whatever it is (the message
    /// a right of reply answers).
    async fn said(&mut self, seq: Seq) -> Option<EventFrame> {
        if let Some(s) = self.speeches.get(&seq) {
            return Some(s.clone());
        }
        let bodies = self
            .shared
            .store
            .events_after(&self.room, seq.checked_sub(1)?, 1)
            .await
            .ok()?;
        let frame: EventFrame = serde_json::from_str(bodies.first()?).ok()?;
        (frame.seq == seq).then_some(frame)
    }

    /// The speech with seq `seq`, from this stream's memory or the store.
    async fn speech(&mut self, seq: Seq) -> Option<EventFrame> {
        let frame = self.said(seq).await?;
        matches!(frame.event, Event::Speech { .. }).then_some(frame)
    }
}
