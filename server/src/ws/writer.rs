//! The writer task of a connection: it drains the outbox into the socket
//! in as few vectored writes as it can, pointing at the frames' shared
//! bytes (nothing is copied per connection), streams a join's replay page
//! by page in its place in the queue, and at the end sends what is still
//! owed (if the reason allows), the close frame, and shuts the socket.

use crate::ws::close::CloseReason;
use crate::ws::frame::close_frame;
use crate::ws::io::WriteHalf;
use crate::ws::outbox::{Item, Outbox, ReplayPage, MAX_SLICES};
use bytes::Bytes;
use std::collections::VecDeque;
use std::future::poll_fn;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::time::Duration;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

/// Longest wait, once the connection is closing, for what is still owed
/// and the close frame to go out.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// Frames being written, and how far the writing got.
pub(super) struct Run {
    items: VecDeque<Item>,
    /// Frames of the front item written already.
    frame: usize,
    /// Bytes of the front item's next frame written already.
    offset: usize,
    /// The items are outbox slots (live frames), or a replay page's frames,
    /// which share their replay's one slot.
    slots: bool,
}

impl Run {
    pub(super) fn new(slots: bool) -> Run {
        Run {
            items: VecDeque::new(),
            frame: 0,
            offset: 0,
            slots,
        }
    }

    /// Point `out` at up to `max` frames (or their unwritten rest), from
    /// where writing got to, stopping at a replay. Returns how many.
    fn gather<'a>(&'a self, deflate: bool, max: usize, out: &mut [IoSlice<'a>]) -> usize {
        let max = max.min(out.len());
        let mut n = 0;
        for (k, item) in self.items.iter().enumerate() {
            if matches!(item, Item::Replay(_)) {
                break;
            }
            let first = if k == 0 { self.frame } else { 0 };
            for i in first..item.frame_count() {
                if n == max {
                    return n;
                }
                let Some(frame) = item.frame(i, deflate) else {
                    break;
                };
                let skip = if k == 0 && i == self.frame {
                    self.offset
                } else {
                    0
                };
                out[n] = IoSlice::new(&frame[skip..]);
                n += 1;
            }
        }
        n
    }

    /// `n` more bytes were written: move on, dropping the items written
    /// whole. Returns (items, bytes owed) written whole.
    fn advance(&mut self, mut n: usize, deflate: bool) -> (usize, usize) {
        let (mut items, mut bytes) = (0, 0);
        while let Some(item) = self.items.front() {
            if matches!(item, Item::Replay(_)) {
                break;
            }
            let frame_len = match item.frame(self.frame, deflate) {
                Some(frame) => frame.len(),
                None => {
                    // Every frame of it is out.
                    items += 1;
                    bytes += item.owed();
                    self.items.pop_front();
                    self.frame = 0;
                    self.offset = 0;
                    continue;
                }
            };
            if n == 0 {
                break;
            }
            let left = frame_len - self.offset;
            if n >= left {
                n -= left;
                self.frame += 1;
                self.offset = 0;
            } else {
                self.offset += n;
                n = 0;
            }
        }
        (items, bytes)
    }

    /// The front item's first `n` bytes are already out (a sender wrote
    /// them): start from there.
    fn skip_written(&mut self, mut n: usize, deflate: bool) {
        let Some(item) = self.items.front() else {
            return;
        };
        self.frame = 0;
        self.offset = 0;
        while let Some(frame) = item.frame(self.frame, deflate) {
            if n < frame.len() {
                self.offset = n;
                return;
            }
            n -= frame.len();
            self.frame += 1;
        }
    }

    /// Take what `outbox` queued onto the back of the run; false when
    /// there is nothing at all to write.
    pub(super) fn take_from(&mut self, outbox: &Outbox, deflate: bool) -> bool {
        match outbox.take(&mut self.items) {
            None => false,
            Some(0) => true,
            Some(written) => {
                self.skip_written(written, deflate);
                true
            }
        }
    }

    /// Nothing at the front but a replay, or nothing at all.
    fn is_idle(&self) -> bool {
        matches!(self.items.front(), None | Some(Item::Replay(_)))
    }

    /// In the middle of a frame: the next thing written must be its rest.
    fn mid_frame(&self) -> bool {
        self.offset > 0
    }
}

/// A replay being written.
struct Replaying {
    pages: mpsc::Receiver<ReplayPage>,
    /// The page being written.
    page: Run,
}

/// The writer task's state.
struct Writer {
    outbox: Outbox,
    io: WriteHalf,
    /// Send each message's permessage-deflate frame.
    deflate: bool,
    /// Frames taken from the queue.
    live: Run,
    /// The replay at the head of the queue, once reached.
    replay: Option<Replaying>,
    /// A failed replay's error frame, sent just before the close frame.
    farewell: Option<Bytes>,
}

/// Drain `outbox` into `io` until the connection closes, then send what it
/// still owes (unless it is closing as a slow reader or for an internal
/// error), the close frame with the reason's code, and shut `io` down.
/// `deflate`: the connection negotiated permessage-deflate.
pub async fn write_loop(outbox: Outbox, io: WriteHalf, deflate: bool) {
    outbox.writer_started(deflate, &io);
    let mut writer = Writer {
        outbox,
        io,
        deflate,
        live: Run::new(true),
        replay: None,
        farewell: None,
    };
    if let Err(e) = writer.pump().await {
        // The socket is gone: nothing more can be written, and the reader
        // had better stop too.
        tracing::debug!(conn = writer.outbox.conn, error = %e, "write failed");
        writer.outbox.closer.close(CloseReason::Normal);
        return;
    }
    if tokio::time::timeout(CLOSE_GRACE, writer.finish())
        .await
        .is_err()
    {
        tracing::debug!(conn = writer.outbox.conn, "close frame timed out");
    }
}

impl Writer {
    /// Write until the connection is closing (Ok) or the socket fails.
    async fn pump(&mut self) -> io::Result<()> {
        let closer = self.outbox.closer.clone();
        loop {
            if closer.is_closed() {
                return Ok(());
            }
            // A replay reached goes out before anything queued after it.
            if let Some(replay) = &mut self.replay {
                if !replay.page.is_idle() {
                    if !write_step(
                        &mut self.io,
                        &mut replay.page,
                        self.deflate,
                        &self.outbox,
                        true,
                    )
                    .await?
                    {
                        return Ok(());
                    }
                    continue;
                }
                let page = tokio::select! {
                    biased;
                    _ = closer.closed() => return Ok(()),
                    page = replay.pages.recv() => page,
                };
                match page {
                    Some(ReplayPage::Frames(frames)) => {
                        replay.page.items.extend(frames.into_iter().map(Item::Wire));
                    }
                    Some(ReplayPage::Failed(error)) => {
                        self.farewell = Some(error);
                        closer.close(CloseReason::Internal);
                        return Ok(());
                    }
                    None => {
                        self.replay = None;
                        self.outbox.written(1, 0);
                    }
                }
                continue;
            }
            // Whatever was queued since the last write joins the next one.
            if !self.live.take_from(&self.outbox, self.deflate) {
                // Nothing to write: push out what TLS may still buffer,
                // then sleep until a sender wakes us. A wake-up sent since
                // `take` is kept by `Notify` as a permit, so none is lost.
                tokio::select! {
                    biased;
                    _ = closer.closed() => return Ok(()),
                    flushed = self.io.flush() => flushed?,
                }
                tokio::select! {
                    biased;
                    _ = closer.closed() => return Ok(()),
                    _ = self.outbox.queued_since() => {}
                }
                continue;
            }
            if let Some(Item::Replay(_)) = self.live.items.front() {
                if let Some(Item::Replay(replay)) = self.live.items.pop_front() {
                    self.replay = Some(Replaying {
                        pages: replay.pages,
                        page: Run::new(false),
                    });
                }
                continue;
            }
            if !write_step(
                &mut self.io,
                &mut self.live,
                self.deflate,
                &self.outbox,
                true,
            )
            .await?
            {
                return Ok(());
            }
        }
    }

    /// The connection is closing: finish the frame under way (a close frame
    /// must start where a frame ends), send what is owed if the reason
    /// allows, then the close frame, and shut the socket down.
    async fn finish(&mut self) -> io::Result<()> {
        // From here only the writer writes: senders queue (or, closed,
        // are refused), and the socket is the writer's alone again.
        self.outbox.writer_closing();
        let reason = self.outbox.closer.reason().unwrap_or(CloseReason::Normal);
        let (io, deflate, outbox) = (&mut self.io, self.deflate, &self.outbox);
        let run = match &mut self.replay {
            Some(replay) => &mut replay.page,
            None => &mut self.live,
        };
        while run.mid_frame() {
            write_frame_rest(io, run, deflate, outbox).await?;
        }
        // A slow reader gets no more of what it could not read, nor does a
        // client whose replay failed (it would be left with a gap); anyone
        // else gets what was queued before the close (an error that
        // explains it, say), short of a replay, which it joins again for.
        let polite = !matches!(reason, CloseReason::SlowReader | CloseReason::Internal);
        if polite && self.replay.is_none() {
            while self.live.take_from(&self.outbox, deflate) && !self.live.is_idle() {
                write_step(&mut self.io, &mut self.live, deflate, &self.outbox, false).await?;
            }
        }
        if let Some(error) = self.farewell.take() {
            self.io.write_all(&error).await?;
        }
        self.io
            .write_all(&close_frame(reason.code(), reason.as_str()))
            .await?;
        self.io.shutdown().await
    }
}

/// One vectored write of up to `MAX_SLICES` frames from `run`. Returns
/// false, having written nothing, if the connection started closing first
/// and `stop_on_close` is set.
async fn write_step(
    io: &mut WriteHalf,
    run: &mut Run,
    deflate: bool,
    outbox: &Outbox,
    stop_on_close: bool,
) -> io::Result<bool> {
    // Items with nothing left to write (an empty batch) are done as they are.
    account(run, 0, deflate, outbox);
    if run.is_idle() {
        return Ok(true);
    }
    let write = write_some(io, run, deflate, MAX_SLICES);
    let n = if stop_on_close {
        tokio::select! {
            biased;
            _ = outbox.closer.closed() => return Ok(false),
            n = write => n?,
        }
    } else {
        write.await?
    };
    account(run, n, deflate, outbox);
    Ok(true)
}

/// Write the rest of the frame under way, and no further.
async fn write_frame_rest(
    io: &mut WriteHalf,
    run: &mut Run,
    deflate: bool,
    outbox: &Outbox,
) -> io::Result<()> {
    let n = write_some(io, run, deflate, 1).await?;
    account(run, n, deflate, outbox);
    Ok(())
}

/// One vectored write from where `run` got to. The slices are built on
/// the stack inside each poll, so the writer keeps no array of them while
/// it waits, and a write abandoned in a `select!` leaves `run` as it was.
async fn write_some(io: &mut WriteHalf, run: &Run, deflate: bool, max: usize) -> io::Result<usize> {
    let n = poll_fn(|cx| {
        let mut slices = [IoSlice::new(&[]); MAX_SLICES];
        let count = run.gather(deflate, max, &mut slices);
        Pin::new(&mut *io).poll_write_vectored(cx, &slices[..count])
    })
    .await?;
    if n == 0 {
        return Err(io::ErrorKind::WriteZero.into());
    }
    Ok(n)
}

/// `n` bytes of `run` went out: move it on, and give back what they owed.
fn account(run: &mut Run, n: usize, deflate: bool, outbox: &Outbox) {
    let (items, bytes) = run.advance(n, deflate);
    outbox.written(if run.slots { items } else { 0 }, bytes);
    #[cfg(test)]
    if n > 0 {
        outbox.count_write();
    }
}
