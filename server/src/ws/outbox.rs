//! A connection's outgoing queue: what senders put in and the writer
//! (`writer.rs`) takes out.
//!
//! Senders (room actors, the connection's own reader) never wait: an
//! outbox that already holds its limit of frames or bytes closes its
//! connection (`slow_reader`) rather than let one slow reader stall a room;
//! the client can come back with `join` and `since` and miss nothing.
//!
//! The queue holds shared frames (`Arc<Wire>`), not bytes of its own, and
//! the writer gives the kernel whatever is queued in as few vectored writes
//! as it can, pointing at those shared bytes: no frame is copied per
//! connection, and nothing here keeps the size of its largest burst. When
//! the writer is idle on a plain TCP socket, a sender writes its frames
//! straight into the socket itself (`write_direct`), without waking it.

use crate::ws::close::{CloseReason, Closer};
use crate::ws::frame::Wire;
use crate::ws::io::WriteHalf;
use bytes::Bytes;
use std::collections::VecDeque;
use std::io::IoSlice;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::sync::{mpsc, Notify};

/// Identifies one websocket connection for the life of the process.
pub type ConnId = u64;

/// Most frames handed to one vectored write. Linux takes up to 1024; 64
/// frames is already one system call for a typical burst, and keeps the
/// slice array small enough for the stack.
pub(super) const MAX_SLICES: usize = 64;

/// Queue capacity (in items) worth keeping once drained; anything larger
/// was a burst, and is given back.
const SPARE_CAPACITY: usize = 8;

/// One slot in a connection's queue.
#[derive(Debug)]
pub enum Item {
    /// A message shared with other recipients.
    Wire(Arc<Wire>),
    /// Messages that go together and take one slot: an event and the
    /// room_state after it, shared by every recipient.
    Many(Arc<[Arc<Wire>]>),
    /// A frame for this connection only, already framed: ok, error,
    /// welcome, pong, ping. Never compressed.
    Own(Bytes),
    /// A join's replay, streamed from the store as the writer drains it.
    Replay(Replay),
}

impl Item {
    /// What the item counts against the byte limit: its plain frames'
    /// length. A replay counts nothing here; its pages are counted as they
    /// are produced (`Outbox::replay_owed`).
    pub(super) fn owed(&self) -> usize {
        match self {
            Item::Wire(w) => w.len(),
            Item::Many(ws) => ws.iter().map(|w| w.len()).sum(),
            Item::Own(b) => b.len(),
            Item::Replay(_) => 0,
        }
    }

    /// How many frames the item holds (a replay's are in its pages).
    pub(super) fn frame_count(&self) -> usize {
        match self {
            Item::Wire(_) | Item::Own(_) => 1,
            Item::Many(ws) => ws.len(),
            Item::Replay(_) => 0,
        }
    }

    /// Frame `i` of the item, as this connection sends it.
    pub(super) fn frame(&self, i: usize, deflate: bool) -> Option<&Bytes> {
        match self {
            Item::Wire(w) => (i == 0).then(|| w.frame(deflate)),
            Item::Many(ws) => ws.get(i).map(|w| w.frame(deflate)),
            Item::Own(b) => (i == 0).then_some(b),
            Item::Replay(_) => None,
        }
    }
}

/// A join's replay: the events a client is owed, then its room_state and
/// ok, read from the store page by page while the writer sends them. Its
/// place in the queue is taken when the join is accepted, so live events
/// queued behind it reach the client after it, with no gap and nothing
/// twice.
#[derive(Debug)]
pub struct Replay {
    /// Pages in order; the replay ends when the sender is dropped. With a
    /// channel of capacity 1 a replay holds at most two pages in memory
    /// (one being written, one waiting), however long it is.
    pub pages: mpsc::Receiver<ReplayPage>,
}

impl Replay {
    /// A replay and the sender its producer fills it through, with room
    /// for one page ahead of the writer.
    pub fn channel() -> (mpsc::Sender<ReplayPage>, Replay) {
        let (tx, pages) = mpsc::channel(1);
        (tx, Replay { pages })
    }
}

/// One page of a replay.
#[derive(Debug)]
pub enum ReplayPage {
    /// Frames to send, in order. Before sending a page, its producer adds
    /// `frame::wire_bytes(&frames)` to what the connection owes
    /// (`Outbox::replay_owed`); the writer takes it off once written.
    Frames(Vec<Arc<Wire>>),
    /// The store failed: this error frame is sent, then the connection is
    /// closed with 1011 `internal_error`, so that the client joins again
    /// rather than go on with a gap. Not counted in what is owed.
    Failed(Bytes),
}

/// A connection's outgoing queue, as seen by whoever sends to it. Cheap to
/// clone: every room the connection joined holds one.
#[derive(Debug, Clone)]
pub struct Outbox {
    /// The connection this queue writes to, for logs and for rooms to key
    /// their members' connections by.
    pub conn: ConnId,
    /// Closes the connection: the outbox itself does, for a slow reader.
    pub closer: Closer,
    shared: Arc<Shared>,
}

/// What the senders and the writer share.
#[derive(Debug)]
struct Shared {
    /// Locked only to push or to take, never across an await.
    queue: Mutex<Queue>,
    /// Wakes the writer when something is queued while it waits.
    wake: Notify,
    /// Most items held before the connection is closed as a slow reader.
    max_frames: usize,
    /// Most bytes owed before the connection is closed as a slow reader.
    max_bytes: usize,
    /// Vectored writes made, so the tests can count system calls.
    #[cfg(test)]
    writes: std::sync::atomic::AtomicUsize,
}

#[derive(Debug, Default)]
struct Queue {
    /// Items not yet taken by the writer.
    items: VecDeque<Item>,
    /// Items queued or taken and not yet written: the slots in use.
    held: usize,
    /// Bytes queued or taken and not yet written. Frames share their bytes
    /// between recipients, so this is what the connection owes, not memory
    /// it alone holds.
    owed: usize,
    /// The writer found the queue empty and waits to be woken: the next
    /// sender wakes it, and senders before that need not.
    writer_waiting: bool,
    /// The socket, while the writer leaves it to senders: set for plain TCP
    /// by the writer at its start, taken away when it starts closing. A
    /// sender that finds the writer waiting and nothing queued writes its
    /// frames straight into the socket (non-blocking, under this lock), as
    /// the floor broadcaster does: no task wake-up, no second write. What
    /// the kernel does not take is queued, and the writer goes on from
    /// where the kernel stopped.
    direct: Option<Arc<OwnedWriteHalf>>,
    /// The connection negotiated permessage-deflate (which frames to write).
    deflate: bool,
    /// Bytes of the first queued item that a sender already wrote.
    front_written: usize,
}

impl Outbox {
    /// An outbox that closes its connection as a slow reader once it holds
    /// `max_frames` items, or owes more than `max_bytes`.
    pub fn new(conn: ConnId, max_frames: usize, max_bytes: usize) -> Outbox {
        Outbox {
            conn,
            closer: Closer::default(),
            shared: Arc::new(Shared {
                queue: Mutex::new(Queue::default()),
                wake: Notify::new(),
                max_frames: max_frames.max(1),
                max_bytes,
                #[cfg(test)]
                writes: Default::default(),
            }),
        }
    }

    /// The queue. A panic cannot happen while it is locked (pushes, pops
    /// and sums), so a poisoned lock still guards consistent data.
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.shared
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Queue an item without waiting. Returns false when the connection is
    /// closing, or was just closed for falling behind: it already holds
    /// `max_frames` items or owes more than `max_bytes`. An item is taken
    /// whole while the backlog is under the byte limit, however large.
    pub fn send(&self, item: Item) -> bool {
        self.send_as(item, true)
    }

    /// `send`, saying whether the sender may write into an idle socket
    /// itself (`direct`). A room's fan-out says no when more work waits
    /// behind it: then the frames queue, each writer takes all that waits
    /// in one write, and the room moves on to the next event sooner.
    pub fn send_as(&self, item: Item, direct: bool) -> bool {
        if self.closer.is_closed() {
            return false;
        }
        let owed = item.owed();
        let wake = {
            let mut q = self.lock();
            if q.held >= self.shared.max_frames || q.owed > self.shared.max_bytes {
                let (held, owed) = (q.held, q.owed);
                drop(q);
                self.slow_reader(held, owed);
                return false;
            }
            if direct && q.writer_waiting && q.items.is_empty() {
                if let Some(socket) = q.direct.clone() {
                    match write_direct(&socket, &item, q.deflate) {
                        Direct::Whole => return true,
                        Direct::Part(n) => q.front_written = n,
                        Direct::Later => {}
                    }
                }
            }
            q.items.push_back(item);
            q.held += 1;
            q.owed += owed;
            std::mem::take(&mut q.writer_waiting)
        };
        if wake {
            self.shared.wake.notify_one();
        }
        true
    }

    /// Queue a message of this connection's own, compressed if the
    /// connection negotiated it.
    pub fn send_text(&self, text: String) -> bool {
        self.send(Item::Wire(Wire::text(text)))
    }

    /// A replay's producer is about to send a page of `bytes` (see
    /// `frame::wire_bytes`): count it as owed until the writer writes it,
    /// so that live frames queued meanwhile see the real backlog.
    pub fn replay_owed(&self, bytes: usize) {
        self.lock().owed += bytes;
    }

    /// Bytes queued for this connection and not yet written.
    pub fn owed_bytes(&self) -> usize {
        self.lock().owed
    }

    /// Items (one per event, batch or replay) waiting to be written.
    pub fn queued(&self) -> usize {
        self.lock().held
    }

    fn slow_reader(&self, queued: usize, owed_bytes: usize) {
        if !self.closer.is_closed() {
            crate::metrics::add(&crate::metrics::SLOW_READER_CLOSES, 1);
            tracing::info!(
                conn = self.conn,
                queued,
                owed_bytes,
                "closing a slow reader"
            );
        }
        self.closer.close(CloseReason::SlowReader);
    }

    /// The writer takes everything queued, onto the back of what it holds
    /// (`into`), so that it goes out in the same writes. Returns None, and
    /// marks the writer as waiting, when both are empty; else how many bytes
    /// of the (new) front item a sender already wrote into the socket.
    ///
    /// An empty `into` is swapped with the queue's deque, so the writer's
    /// drained deque becomes the queue's next one; a deque that grew in a
    /// burst is dropped on the way rather than kept for the next burst.
    pub(super) fn take(&self, into: &mut VecDeque<Item>) -> Option<usize> {
        if into.is_empty() && into.capacity() > SPARE_CAPACITY {
            *into = VecDeque::new();
        }
        let (front_written, burst) = {
            let mut q = self.lock();
            if q.items.is_empty() {
                if into.is_empty() {
                    q.writer_waiting = true;
                    return None;
                }
                return Some(0);
            }
            if into.is_empty() {
                std::mem::swap(&mut q.items, into);
                // A sender wrote the start of the first item itself.
                (std::mem::take(&mut q.front_written), None)
            } else {
                into.append(&mut q.items);
                let burst =
                    (q.items.capacity() > SPARE_CAPACITY).then(|| std::mem::take(&mut q.items));
                (0, burst)
            }
        };
        // Freed after the lock is let go.
        drop(burst);
        Some(front_written)
    }

    /// The writer starts: it writes `deflate` frames, and leaves `direct`
    /// (a plain TCP socket) to senders while it waits.
    pub(super) fn writer_started(&self, deflate: bool, io: &WriteHalf) {
        let mut q = self.lock();
        q.deflate = deflate;
        if let WriteHalf::Tcp(socket) = io {
            q.direct = Some(socket.clone());
        }
    }

    /// The writer is closing the connection: from here only it writes, and
    /// senders queue (or, closed, are refused).
    pub(super) fn writer_closing(&self) {
        let mut q = self.lock();
        q.direct = None;
        q.writer_waiting = false;
    }

    /// Resolves when a sender queued something after `take` found nothing.
    /// A wake-up sent since `take` is kept by `Notify` as a permit, so none
    /// is lost.
    pub(super) async fn queued_since(&self) {
        self.shared.wake.notified().await
    }

    /// The writer wrote `items` slots' and `bytes` bytes' worth.
    pub(super) fn written(&self, items: usize, bytes: usize) {
        let mut q = self.lock();
        q.held = q.held.saturating_sub(items);
        q.owed = q.owed.saturating_sub(bytes);
    }

    /// Count one vectored write, so the tests can count system calls.
    #[cfg(test)]
    pub(super) fn count_write(&self) {
        self.shared
            .writes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// What a sender's own write did.
enum Direct {
    /// Everything is in the socket: nothing to queue.
    Whole,
    /// The kernel took this many bytes; queue the item, the writer does the rest.
    Part(usize),
    /// Nothing written (the socket is full, or failing): queue the item.
    Later,
}

/// Write `item`'s frames into `socket` without waiting, as much as the
/// kernel takes now. Only a live frame: a replay is always the writer's.
fn write_direct(socket: &OwnedWriteHalf, item: &Item, deflate: bool) -> Direct {
    if matches!(item, Item::Replay(_)) {
        return Direct::Later;
    }
    let mut slices = [IoSlice::new(&[]); MAX_SLICES];
    let mut count = 0;
    let mut total = 0;
    while count < MAX_SLICES {
        let Some(frame) = item.frame(count, deflate) else {
            break;
        };
        total += frame.len();
        slices[count] = IoSlice::new(frame);
        count += 1;
    }
    if item.frame(count, deflate).is_some() {
        // More frames than one call takes: the writer's job.
        return Direct::Later;
    }
    match socket.try_write_vectored(&slices[..count]) {
        Ok(n) if n == total => Direct::Whole,
        Ok(n) if n > 0 => Direct::Part(n),
        // Would block, or the socket failed: the writer finds out which.
        _ => Direct::Later,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ws::frame::{opcode, ping_frame, wire_bytes};
    use crate::ws::io::Io;
    use crate::ws::testing::{raw_inflate, read_server_frame, tcp_pair, ServerFrame};
    use crate::ws::writer::write_loop;
    use std::sync::atomic::Ordering;
    use std::time::Duration;
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpStream;

    fn wire(text: &str) -> Arc<Wire> {
        Wire::text(text.to_string())
    }

    fn text_frame(text: &str) -> ServerFrame {
        ServerFrame {
            fin: true,
            rsv1: false,
            opcode: opcode::TEXT,
            payload: text.as_bytes().to_vec(),
        }
    }

    fn close(code: u16, reason: &str) -> ServerFrame {
        let mut payload = code.to_be_bytes().to_vec();
        payload.extend_from_slice(reason.as_bytes());
        ServerFrame {
            fin: true,
            rsv1: false,
            opcode: opcode::CLOSE,
            payload,
        }
    }

    /// An outbox whose writer writes to a loopback socket; the client end.
    async fn writer(outbox: &Outbox, deflate: bool) -> (tokio::task::JoinHandle<()>, TcpStream) {
        let (client, server) = tcp_pair().await;
        let (_r, w) = Io::Tcp(server).split();
        let task = tokio::spawn(write_loop(outbox.clone(), w, deflate));
        (task, client)
    }

    async fn frames_until_eof(client: &mut TcpStream) -> Vec<ServerFrame> {
        let mut frames = Vec::new();
        while let Ok(frame) = read_server_frame(client).await {
            frames.push(frame);
        }
        frames
    }

    #[test]
    fn a_full_queue_closes_the_connection_without_waiting() {
        let outbox = Outbox::new(1, 2, 1 << 20);
        assert!(outbox.send(Item::Wire(wire("a"))));
        assert!(outbox.send(Item::Own(ping_frame())));
        assert!(!outbox.closer.is_closed());
        assert!(!outbox.send(Item::Wire(wire("c"))), "two is the limit");
        assert_eq!(outbox.closer.reason(), Some(CloseReason::SlowReader));
        assert_eq!(outbox.queued(), 2);
        assert_eq!(
            outbox.owed_bytes(),
            3 + 2,
            "nothing owed for the refused one"
        );
        assert!(
            !outbox.send(Item::Wire(wire("d"))),
            "closed: takes nothing more"
        );
    }

    #[test]
    fn a_backlog_over_the_byte_limit_closes_the_connection() {
        let outbox = Outbox::new(1, 1000, 10_000);
        let big = Wire::text("x".repeat(6_000));
        assert!(outbox.send(Item::Wire(big.clone())));
        // Under the limit before this one: taken whole, though it goes over.
        assert!(outbox.send(Item::Wire(big.clone())));
        assert_eq!(outbox.owed_bytes(), 2 * big.len());
        assert!(!outbox.closer.is_closed());
        assert!(!outbox.send(Item::Wire(wire("y"))), "owes 12,008 > 10,000");
        assert_eq!(outbox.closer.reason(), Some(CloseReason::SlowReader));
    }

    #[test]
    fn a_batch_takes_one_slot_and_owes_all_its_bytes() {
        let outbox = Outbox::new(1, 1, 1 << 20);
        let batch: Arc<[Arc<Wire>]> = vec![wire("event"), wire("room_state")].into();
        assert!(outbox.send(Item::Many(batch)));
        assert_eq!((outbox.queued(), outbox.owed_bytes()), (1, 7 + 12));
    }

    /// Until the writer has found nothing to do (and let senders write).
    async fn writer_idle(outbox: &Outbox) {
        for _ in 0..1000 {
            if outbox.lock().writer_waiting {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        panic!("the writer never went idle");
    }

    #[tokio::test]
    async fn an_idle_writers_socket_takes_a_frame_straight_from_the_sender() {
        let outbox = Outbox::new(1, 100, 1 << 30);
        let (task, mut client) = writer(&outbox, false).await;
        writer_idle(&outbox).await;
        let writes = outbox.shared.writes.load(Ordering::Relaxed);
        assert!(outbox.send_text("straight in".into()));
        // Written by the sender: nothing queued, nothing owed, no write
        // made by the writer, and the frame is in the socket.
        assert_eq!((outbox.queued(), outbox.owed_bytes()), (0, 0));
        assert_eq!(
            read_server_frame(&mut client).await.unwrap(),
            text_frame("straight in")
        );
        assert_eq!(outbox.shared.writes.load(Ordering::Relaxed), writes);
        // A frame larger than the socket takes at once: the sender writes
        // what the kernel takes, the writer the rest, and it arrives whole,
        // followed by what was queued after it.
        writer_idle(&outbox).await;
        let big = "b".repeat(16 << 20);
        assert!(outbox.send_text(big.clone()));
        assert_eq!(outbox.queued(), 1, "the rest is the writer's");
        assert!(outbox.send_text("after".into()));
        let reading = tokio::spawn(async move {
            let first = read_server_frame(&mut client).await.unwrap();
            let second = read_server_frame(&mut client).await.unwrap();
            (first, second, client)
        });
        let (first, second, _client) = reading.await.unwrap();
        assert_eq!(first, text_frame(&big));
        assert_eq!(second, text_frame("after"));
        outbox.closer.close(CloseReason::Normal);
        task.await.unwrap();
        assert_eq!((outbox.queued(), outbox.owed_bytes()), (0, 0));
    }

    #[test]
    fn the_queue_gives_back_its_capacity_after_a_burst() {
        let outbox = Outbox::new(1, 10_000, 1 << 30);
        let w = wire("burst");
        for _ in 0..1000 {
            assert!(outbox.send(Item::Wire(w.clone())));
        }
        let mut taken = VecDeque::new();
        assert_eq!(outbox.take(&mut taken), Some(0));
        assert_eq!(taken.len(), 1000);
        assert!(outbox.lock().items.capacity() <= SPARE_CAPACITY);
        // The writer wrote them all; next time it looks, the burst's deque
        // is dropped rather than kept for the next burst.
        taken.clear();
        outbox.written(1000, 1000 * w.len());
        assert_eq!(outbox.take(&mut taken), None);
        assert!(taken.capacity() <= SPARE_CAPACITY);
        assert!(outbox.lock().items.capacity() <= SPARE_CAPACITY);
        assert_eq!((outbox.queued(), outbox.owed_bytes()), (0, 0));
    }

    #[tokio::test]
    async fn a_thousand_queued_frames_take_far_fewer_writes() {
        let outbox = Outbox::new(1, 10_000, 1 << 30);
        let sent: Vec<String> = (0..1000).map(|i| format!("{{\"seq\":{i}}}")).collect();
        for text in &sent {
            assert!(outbox.send(Item::Wire(wire(text))));
        }
        let (task, mut client) = writer(&outbox, false).await;
        for text in &sent {
            let frame = read_server_frame(&mut client).await.expect("a frame");
            assert_eq!(frame, text_frame(text));
        }
        let writes = outbox.shared.writes.load(Ordering::Relaxed);
        assert!(
            writes <= 1000 / MAX_SLICES + 5,
            "{writes} writes for 1000 frames"
        );
        assert_eq!((outbox.queued(), outbox.owed_bytes()), (0, 0));
        outbox.closer.close(CloseReason::Normal);
        task.await.expect("writer");
        assert_eq!(frames_until_eof(&mut client).await, vec![close(1000, "")]);
    }

    #[tokio::test]
    async fn partial_writes_resume_where_they_stopped() {
        // Frames far larger than the socket buffers, read slowly: the writer
        // must resume each mid-frame and never send a byte twice.
        let outbox = Outbox::new(1, 100, 1 << 30);
        let texts: Vec<String> = (0..8)
            .map(|i| char::from(b'a' + i).to_string().repeat(2 << 20))
            .collect();
        let batch: Arc<[Arc<Wire>]> = texts.iter().map(|t| wire(t)).collect();
        assert!(outbox.send(Item::Many(batch)));
        assert!(outbox.send(Item::Own(ping_frame())));
        let (task, mut client) = writer(&outbox, false).await;
        let mut all = Vec::new();
        let mut chunk = vec![0u8; 7_000];
        let expected: usize = texts.iter().map(|t| t.len() + 10).sum::<usize>() + 2;
        // Read in small steps, so that the writer finds the socket full.
        while all.len() < expected {
            let n = client.read(&mut chunk).await.expect("read");
            assert!(n > 0);
            all.extend_from_slice(&chunk[..n]);
        }
        let mut cursor = std::io::Cursor::new(all);
        for text in &texts {
            assert_eq!(
                read_server_frame(&mut cursor).await.expect("frame"),
                text_frame(text)
            );
        }
        let ping = read_server_frame(&mut cursor).await.expect("ping");
        assert_eq!(ping.opcode, opcode::PING);
        assert!(outbox.shared.writes.load(Ordering::Relaxed) > 1);
        outbox.closer.close(CloseReason::Normal);
        task.await.expect("writer");
    }

    #[tokio::test]
    async fn a_replay_goes_out_page_by_page_before_what_was_queued_after_it() {
        let outbox = Outbox::new(1, 100, 1 << 20);
        let (pages, replay) = Replay::channel();
        assert!(outbox.send(Item::Wire(wire("before"))));
        assert!(outbox.send(Item::Replay(replay)));
        assert!(outbox.send(Item::Wire(wire("live 1"))));
        let (task, mut client) = writer(&outbox, false).await;
        assert_eq!(
            read_server_frame(&mut client).await.expect("a"),
            text_frame("before")
        );
        // Live frames keep coming while the replay is read from the store.
        assert!(outbox.send(Item::Wire(wire("live 2"))));
        let producer = {
            let outbox = outbox.clone();
            tokio::spawn(async move {
                for page in [["e1", "e2"], ["e3", "state"]] {
                    let frames: Vec<Arc<Wire>> = page.iter().map(|t| wire(t)).collect();
                    outbox.replay_owed(wire_bytes(&frames));
                    pages
                        .send(ReplayPage::Frames(frames))
                        .await
                        .expect("writer alive");
                }
            })
        };
        for text in ["e1", "e2", "e3", "state", "live 1", "live 2"] {
            let frame = read_server_frame(&mut client).await.expect("a frame");
            assert_eq!(frame, text_frame(text));
        }
        producer.await.expect("producer");
        outbox.closer.close(CloseReason::Flood);
        task.await.expect("writer");
        assert_eq!(
            frames_until_eof(&mut client).await,
            vec![close(1008, "flood")]
        );
        assert_eq!((outbox.queued(), outbox.owed_bytes()), (0, 0));
    }

    #[tokio::test]
    async fn a_failed_replay_sends_its_error_then_closes_with_1011() {
        let outbox = Outbox::new(1, 100, 1 << 20);
        let (pages, replay) = Replay::channel();
        assert!(outbox.send(Item::Replay(replay)));
        assert!(outbox.send(Item::Wire(wire("live, after the gap"))));
        let (task, mut client) = writer(&outbox, false).await;
        let error = Wire::text(r#"{"type":"error","code":"store_failed"}"#.into());
        pages
            .send(ReplayPage::Failed(error.frame(false).clone()))
            .await
            .expect("writer alive");
        task.await.expect("writer");
        assert_eq!(outbox.closer.reason(), Some(CloseReason::Internal));
        assert_eq!(
            frames_until_eof(&mut client).await,
            vec![
                text_frame(r#"{"type":"error","code":"store_failed"}"#),
                close(1011, "internal_error"),
            ]
        );
    }

    #[tokio::test]
    async fn a_polite_close_sends_what_was_queued_first() {
        let outbox = Outbox::new(1, 100, 1 << 20);
        let (task, mut client) = writer(&outbox, false).await;
        // Queued and closed at once, before the writer ran.
        assert!(outbox.send_text(r#"{"type":"error","code":"rate_limited"}"#.into()));
        outbox.closer.close(CloseReason::Flood);
        task.await.expect("writer");
        assert_eq!(
            frames_until_eof(&mut client).await,
            vec![
                text_frame(r#"{"type":"error","code":"rate_limited"}"#),
                close(1008, "flood"),
            ]
        );
    }

    #[tokio::test]
    async fn a_slow_reader_gets_only_the_close_frame() {
        let outbox = Outbox::new(1, 2, 1 << 20);
        let (task, mut client) = writer(&outbox, false).await;
        // Filled and overflowed before the writer gets to run.
        assert!(outbox.send(Item::Wire(wire("one"))));
        assert!(outbox.send(Item::Wire(wire("two"))));
        assert!(!outbox.send(Item::Wire(wire("three"))));
        task.await.expect("writer");
        assert_eq!(
            frames_until_eof(&mut client).await,
            vec![close(1008, "slow_reader")]
        );
    }

    #[tokio::test]
    async fn a_slow_reader_stuck_mid_frame_is_closed_at_a_frame_boundary() {
        // A frame too big for the socket buffers, a client that reads none
        // of it until the close: the close frame must follow the whole
        // frame, never cut into it.
        let outbox = Outbox::new(1, 100, 1 << 30);
        let big = "z".repeat(32 << 20);
        assert!(outbox.send(Item::Wire(wire(&big))));
        let (task, mut client) = writer(&outbox, false).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(outbox.send(Item::Wire(wire("never sent"))));
        outbox.closer.close(CloseReason::SlowReader);
        let frames = tokio::spawn(async move { frames_until_eof(&mut client).await });
        task.await.expect("writer");
        assert_eq!(
            frames.await.expect("reader"),
            vec![text_frame(&big), close(1008, "slow_reader")]
        );
    }

    #[tokio::test]
    async fn a_deflate_connection_gets_the_compressed_frame() {
        let outbox = Outbox::new(1, 100, 1 << 20);
        let text = r#"{"type":"event","text":"the delegate of Kenya has the floor"}"#.repeat(4);
        let shared = wire(&text);
        assert!(outbox.send(Item::Wire(shared.clone())));
        let (task, mut client) = writer(&outbox, true).await;
        let frame = read_server_frame(&mut client).await.expect("a frame");
        assert!(frame.rsv1 && frame.fin);
        assert_eq!(raw_inflate(&frame.payload), text.as_bytes());
        // It still owed the plain length, and owes nothing now.
        assert_eq!(outbox.owed_bytes(), 0);
        outbox.closer.close(CloseReason::Normal);
        task.await.expect("writer");
    }

    #[tokio::test]
    async fn an_empty_batch_is_passed_over() {
        let outbox = Outbox::new(1, 100, 1 << 20);
        let empty: Arc<[Arc<Wire>]> = Vec::new().into();
        assert!(outbox.send(Item::Many(empty)));
        assert!(outbox.send(Item::Wire(wire("after it"))));
        let (task, mut client) = writer(&outbox, false).await;
        let frame = read_server_frame(&mut client).await.expect("a frame");
        assert_eq!(frame, text_frame("after it"));
        assert_eq!(outbox.queued(), 0);
        outbox.closer.close(CloseReason::Normal);
        task.await.expect("writer");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn senders_on_other_threads_lose_no_wake_up() {
        // Four rooms sending at once while the writer drains and sleeps on
        // another thread: every frame arrives, each sender's in its order.
        let outbox = Outbox::new(1, 100_000, 1 << 30);
        let (task, mut client) = writer(&outbox, false).await;
        let senders: Vec<_> = (0..4)
            .map(|s| {
                let outbox = outbox.clone();
                tokio::spawn(async move {
                    for i in 0..2000 {
                        assert!(outbox.send_text(format!("{s} {i}")));
                        if i % 100 == 0 {
                            tokio::time::sleep(Duration::from_millis(1)).await;
                        }
                    }
                })
            })
            .collect();
        let mut next = [0; 4];
        for _ in 0..8000 {
            let frame = read_server_frame(&mut client).await.expect("a frame");
            let text = String::from_utf8(frame.payload).expect("utf-8");
            let (s, i) = text.split_once(' ').expect("two numbers");
            let (s, i): (usize, usize) = (s.parse().expect("s"), i.parse().expect("i"));
            assert_eq!(i, next[s], "sender {s} in order");
            next[s] += 1;
        }
        for sender in senders {
            sender.await.expect("sender");
        }
        outbox.closer.close(CloseReason::Normal);
        task.await.expect("writer");
    }

    #[tokio::test]
    async fn the_writer_wakes_for_each_send_after_waiting() {
        let outbox = Outbox::new(1, 100, 1 << 20);
        let (task, mut client) = writer(&outbox, false).await;
        for i in 0..50 {
            // Let the writer go to sleep on an empty queue each time.
            tokio::time::sleep(Duration::from_millis(2)).await;
            let text = format!("message {i}");
            assert!(outbox.send_text(text.clone()));
            assert_eq!(
                read_server_frame(&mut client).await.expect("frame"),
                text_frame(&text)
            );
        }
        outbox.closer.close(CloseReason::ServerShutdown);
        task.await.expect("writer");
        assert_eq!(
            frames_until_eof(&mut client).await,
            vec![close(1012, "server_shutdown")]
        );
    }
}
