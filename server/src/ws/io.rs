//! The socket under a websocket: plain TCP or TLS over TCP, and its halves.
//!
//! Concrete types rather than a boxed trait object: the reader reads plain
//! TCP with `readable` and `try_read`, so that an idle connection holds no
//! read buffer, and that needs the `TcpStream` itself. The listener gives
//! hyper exactly these two kinds of stream (see `listener.rs`), and
//! `upgrade::Pending::io` gets them back.

use std::fmt;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncReadExt, AsyncWrite};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio_rustls::server::TlsStream;

/// An upgraded connection, before it is split.
pub enum Io {
    /// `ws://`, or TLS ended in front of us by a proxy.
    Tcp(TcpStream),
    /// Boxed: a TLS session is several hundred bytes, a `TcpStream` a few.
    Tls(Box<TlsStream<TcpStream>>),
}

impl Io {
    /// The reading half, for the connection's `FrameReader`, and the
    /// writing half, for its writer task: the two run apart and never wait
    /// on each other.
    pub fn split(self) -> (ReadHalf, WriteHalf) {
        match self {
            Io::Tcp(stream) => {
                let (r, w) = stream.into_split();
                (ReadHalf::Tcp(r), WriteHalf::Tcp(Arc::new(w)))
            }
            Io::Tls(stream) => {
                let (r, w) = tokio::io::split(*stream);
                (ReadHalf::Tls(r), WriteHalf::Tls(w))
            }
        }
    }
}

/// The half a connection reads client frames from.
pub enum ReadHalf {
    /// An owned half of the socket: no lock between reader and writer.
    Tcp(OwnedReadHalf),
    /// A TLS session is one state for both directions, so its halves share
    /// it through tokio's `split` (a lock taken per read or write).
    Tls(tokio::io::ReadHalf<TlsStream<TcpStream>>),
}

impl ReadHalf {
    /// Read what the peer still sends and drop it unparsed, until it closes
    /// its side or `budget` bytes have come. A connection closed for a
    /// flood ends this way: parsing the flood's frames would spend the core
    /// everyone shares, but dropping the socket with the flood unread
    /// resets it, and a reset can lose the close frame (and its reason)
    /// on the way to the peer.
    pub async fn discard(&mut self, budget: usize) -> io::Result<()> {
        // On the heap, and only here: a buffer in the future itself would
        // cost every connection its size for as long as it lives.
        let mut scratch = vec![0u8; 8192];
        let mut left = budget;
        while left > 0 {
            let n = match self {
                ReadHalf::Tcp(r) => r.read(&mut scratch).await?,
                ReadHalf::Tls(r) => r.read(&mut scratch).await?,
            };
            if n == 0 {
                break;
            }
            left = left.saturating_sub(n);
        }
        Ok(())
    }
}

/// The half a connection's writer task writes server frames to. Dropping
/// it (the TCP kind) shuts the sending side down.
pub enum WriteHalf {
    /// See `ReadHalf::Tcp`. Shared: while the writer has nothing to do, a
    /// room's fan-out writes into the socket itself (`Outbox::send`), the
    /// way the floor broadcaster does, saving a task wake-up per delivery.
    /// Every write goes through `&self` (readiness, then a non-blocking
    /// write), and the outbox's lock decides whose turn it is.
    Tcp(Arc<OwnedWriteHalf>),
    /// See `ReadHalf::Tls`.
    Tls(tokio::io::WriteHalf<TlsStream<TcpStream>>),
}

impl fmt::Debug for Io {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Io::Tcp(_) => "Io::Tcp",
            Io::Tls(_) => "Io::Tls",
        })
    }
}

impl fmt::Debug for ReadHalf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReadHalf::Tcp(_) => "ReadHalf::Tcp",
            ReadHalf::Tls(_) => "ReadHalf::Tls",
        })
    }
}

impl fmt::Debug for WriteHalf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WriteHalf::Tcp(_) => "WriteHalf::Tcp",
            WriteHalf::Tls(_) => "WriteHalf::Tls",
        })
    }
}

/// Both kinds written through one type, vectored writes included: the
/// writer hands the kernel (or rustls) many shared frames per call.
impl AsyncWrite for WriteHalf {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            WriteHalf::Tcp(w) => poll_tcp(w, cx, |w| w.try_write(buf)),
            WriteHalf::Tls(w) => Pin::new(w).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            WriteHalf::Tcp(w) => poll_tcp(w, cx, |w| w.try_write_vectored(bufs)),
            WriteHalf::Tls(w) => Pin::new(w).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            WriteHalf::Tcp(_) => true,
            WriteHalf::Tls(w) => w.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            // Plain TCP buffers nothing of ours.
            WriteHalf::Tcp(_) => Poll::Ready(Ok(())),
            WriteHalf::Tls(w) => Pin::new(w).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            // Shut down by hand when the writer holds the only handle (the
            // outbox lets go of its one at the close); otherwise dropping
            // the last handle shuts the sending side down anyway.
            WriteHalf::Tcp(w) => match Arc::get_mut(w) {
                Some(w) => Pin::new(w).poll_shutdown(cx),
                None => Poll::Ready(Ok(())),
            },
            WriteHalf::Tls(w) => Pin::new(w).poll_shutdown(cx),
        }
    }
}

/// A write through `&OwnedWriteHalf`: wait until the socket is writable,
/// try, and wait again if the kernel said it would block (the readiness is
/// then cleared, so the next poll registers the waker).
fn poll_tcp<T>(
    w: &OwnedWriteHalf,
    cx: &mut Context<'_>,
    mut write: impl FnMut(&OwnedWriteHalf) -> io::Result<T>,
) -> Poll<io::Result<T>> {
    loop {
        ready!(AsRef::<TcpStream>::as_ref(w).poll_write_ready(cx))?;
        match write(w) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            done => return Poll::Ready(done),
        }
    }
}
