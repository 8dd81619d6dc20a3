//! What the ws tests share: a client's side of the protocol, written apart
//! from the server's (tungstenite's header code, flate2 used directly), so
//! that a mistake on one side is not mirrored on the other.

use crate::ws::deflate::TAIL;
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress};
use std::io::Cursor;
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tungstenite::protocol::frame::coding::OpCode;
use tungstenite::protocol::frame::FrameHeader;

/// The mask every test client frame uses: not zero, so that a reader that
/// forgets to unmask gets garbage.
pub const MASK: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

/// Inflate a raw deflate message whose sync-flush tail was stripped.
pub fn raw_inflate(data: &[u8]) -> Vec<u8> {
    let mut input = data.to_vec();
    input.extend_from_slice(&TAIL);
    let mut d = Decompress::new(false);
    let mut out = Vec::with_capacity(16 << 20);
    d.decompress_vec(&input, &mut out, FlushDecompress::Sync)
        .expect("valid deflate data");
    assert_eq!(d.total_in() as usize, input.len(), "all input consumed");
    out
}

/// A client's compressor, keeping its context from message to message
/// unless made anew.
pub struct ClientDeflate {
    c: Compress,
}

impl ClientDeflate {
    pub fn new() -> ClientDeflate {
        ClientDeflate {
            c: Compress::new(Compression::default(), false),
        }
    }

    /// One message, compressed and sync-flushed, its tail stripped.
    pub fn message(&mut self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len() + 1024);
        let start = self.c.total_in();
        loop {
            let done = (self.c.total_in() - start) as usize;
            self.c
                .compress_vec(&data[done..], &mut out, FlushCompress::Sync)
                .expect("compress");
            if (self.c.total_in() - start) as usize == data.len() && out.len() < out.capacity() {
                break;
            }
            out.reserve(out.capacity());
        }
        assert!(out.ends_with(&TAIL));
        out.truncate(out.len() - TAIL.len());
        out
    }
}

/// A client frame as a client must send it: masked with `MASK`. `first`
/// is the first header byte (FIN, RSV bits, opcode).
pub fn client_frame(first: u8, payload: &[u8]) -> Vec<u8> {
    frame_with_mask(first, payload, Some(MASK))
}

/// A frame with or without a mask, its header written by tungstenite.
pub fn frame_with_mask(first: u8, payload: &[u8], mask: Option<[u8; 4]>) -> Vec<u8> {
    let header = FrameHeader {
        is_final: first & 0x80 != 0,
        rsv1: first & 0x40 != 0,
        rsv2: first & 0x20 != 0,
        rsv3: first & 0x10 != 0,
        opcode: OpCode::from(first & 0x0f),
        mask,
    };
    let mut out = Vec::new();
    header
        .format(payload.len() as u64, &mut out)
        .expect("a header");
    let start = out.len();
    out.extend_from_slice(payload);
    if let Some(mask) = mask {
        for (i, b) in out[start..].iter_mut().enumerate() {
            *b ^= mask[i % 4];
        }
    }
    out
}

/// A connected pair of sockets on the loopback: (client, server).
pub async fn tcp_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (client, server) = tokio::join!(TcpStream::connect(addr), listener.accept());
    (client.expect("connect"), server.expect("accept").0)
}

/// A server frame as a client reads it.
#[derive(Debug, PartialEq)]
pub struct ServerFrame {
    pub fin: bool,
    pub rsv1: bool,
    pub opcode: u8,
    pub payload: Vec<u8>,
}

/// Read one server frame, checking that it is unmasked.
pub async fn read_server_frame(
    r: &mut (impl AsyncReadExt + Unpin),
) -> std::io::Result<ServerFrame> {
    let mut head = vec![0u8; 2];
    r.read_exact(&mut head).await?;
    let extra = match head[1] & 0x7f {
        126 => 2,
        127 => 8,
        _ => 0,
    };
    let mut ext = vec![0u8; extra];
    r.read_exact(&mut ext).await?;
    head.extend_from_slice(&ext);
    let (header, len) = FrameHeader::parse(&mut Cursor::new(&head))
        .expect("a valid server header")
        .expect("a complete header");
    assert_eq!(header.mask, None, "server frames are not masked");
    let mut payload = vec![0u8; len as usize];
    r.read_exact(&mut payload).await?;
    Ok(ServerFrame {
        fin: header.is_final,
        rsv1: header.rsv1,
        opcode: u8::from(header.opcode),
        payload,
    })
}
