//! Network namespaces of the load generator's own making, for the
//! poor-link scenario: the server on one side of an emulated link, a
//! delegate on the other.
//!
//! Each namespace is anonymous. A thread of this process `unshare`s into a
//! new one and stays there, making on request whatever must be made from
//! inside it (sockets, TUN devices, sysctls); `ip`, `tc` and the server are
//! started in it with `setns` before they run. Nothing is mounted under
//! /run/netns, so there is nothing to clean up by name: the kernel frees a
//! namespace, with its devices and routes, when the last thread, socket,
//! file or process in it is gone. However the load generator ends (at the
//! end of the run, on a panic, on Ctrl+C, even on SIGKILL), no namespace
//! and no device outlives it and the server it started.

use anyhow::{bail, Context, Result};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::sync::mpsc;
use std::sync::Mutex;
use std::thread::JoinHandle;

/// Work for a namespace's thread.
type Job = Box<dyn FnOnce() + Send>;

pub struct Netns {
    /// What the namespace is for, in messages ("server", "delegate 1").
    pub name: String,
    /// The namespace's file (`/proc/thread-self/ns/net` of its thread):
    /// what `setns` takes to move a process into it.
    fd: OwnedFd,
    /// The thread that lives in the namespace, by its thread id: `ip link
    /// set DEV netns TID` moves a device to the namespace of that thread.
    pub tid: i32,
    /// Jobs for that thread; dropping the sender ends it.
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Netns {
    /// A new, empty network namespace (only `lo`, down), held by a thread
    /// of this process. Needs CAP_SYS_ADMIN (root).
    pub fn new(name: &str) -> Result<Netns> {
        let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = mpsc::channel::<io::Result<(OwnedFd, i32)>>();
        let thread = std::thread::Builder::new()
            .name(format!("netns {name}"))
            .spawn(move || {
                let entered = (|| {
                    // SAFETY: unshare only changes this thread's namespaces.
                    if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
                        return Err(io::Error::last_os_error());
                    }
                    let file = std::fs::File::open("/proc/thread-self/ns/net")?;
                    // SAFETY: gettid has no preconditions.
                    let tid = unsafe { libc::gettid() };
                    Ok((OwnedFd::from(file), tid))
                })();
                let ok = entered.is_ok();
                let _ = ready_tx.send(entered);
                if ok {
                    for job in jobs_rx {
                        job();
                    }
                }
            })
            .context("cannot start a thread for a network namespace")?;
        let (fd, tid) = ready_rx
            .recv()
            .context("the namespace's thread ended before it began")?
            .with_context(|| format!("cannot make a network namespace for the {name}"))?;
        Ok(Netns {
            name: name.to_string(),
            fd,
            tid,
            jobs: Mutex::new(Some(jobs_tx)),
            thread: Mutex::new(Some(thread)),
        })
    }

    /// The namespace's file descriptor, for `enter` in a child process.
    pub fn raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    fn submit(&self, job: Job) -> Result<()> {
        let jobs = self.jobs.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
        match jobs.as_ref() {
            Some(tx) => tx
                .send(job)
                .map_err(|_| anyhow::anyhow!("the {} namespace's thread has ended", self.name)),
            None => bail!("the {} namespace is shut", self.name),
        }
    }

    /// Run `f` inside the namespace (on its thread) and wait for the result.
    pub fn run<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let (tx, rx) = mpsc::channel();
        self.submit(Box::new(move || {
            let _ = tx.send(f());
        }))?;
        rx.recv()
            .map_err(|_| anyhow::anyhow!("the {} namespace's job was lost", self.name))
    }

    /// The same, for async code: waits without blocking a runtime thread.
    pub async fn run_async<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.submit(Box::new(move || {
            let _ = tx.send(f());
        }))?;
        rx.await
            .map_err(|_| anyhow::anyhow!("the {} namespace's job was lost", self.name))
    }

    /// A TCP socket (IPv4, non-blocking, not yet bound) that belongs to this
    /// namespace: a socket stays in the namespace it was made in, whichever
    /// thread uses it afterwards.
    pub async fn tcp_socket(&self) -> Result<tokio::net::TcpSocket> {
        let fd = self.run_async(new_tcp_socket).await??;
        Ok(tokio::net::TcpSocket::from_std_stream(
            std::net::TcpStream::from(fd),
        ))
    }

    /// A command that runs inside the namespace.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        let fd = self.raw_fd();
        // SAFETY: between fork and exec only setns runs, a system call that
        // allocates nothing; the namespace's fd stays open in the parent
        // for as long as `self` lives, which outlasts the spawn.
        unsafe {
            cmd.pre_exec(move || enter(fd));
        }
        cmd
    }

    /// Run a command inside the namespace; an error says what it printed.
    pub fn exec(&self, program: &str, args: &[&str]) -> Result<String> {
        let out = self
            .command(program)
            .args(args)
            .output()
            .with_context(|| format!("cannot run {program}"))?;
        if !out.status.success() {
            bail!(
                "`{program} {}` failed in the {} namespace: {}",
                args.join(" "),
                self.name,
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// `ip ARGS...` inside the namespace.
    pub fn ip(&self, args: &str) -> Result<String> {
        let args: Vec<&str> = args.split_whitespace().collect();
        self.exec("ip", &args)
    }

    /// Write a sysctl of this namespace (`net.ipv4.conf.all.route_localnet`):
    /// /proc/sys/net shows the namespace of the thread that opens it.
    pub fn sysctl(&self, key: &str, value: &str) -> Result<()> {
        let path = format!("/proc/sys/{}", key.replace('.', "/"));
        let value = value.to_string();
        let shown = path.clone();
        self.run(move || std::fs::write(&path, value))?
            .with_context(|| format!("cannot write {shown} in the {} namespace", self.name))
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        // Closing the channel ends the thread; the namespace goes once
        // nothing else (socket, device, process) holds it.
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.take();
        }
        if let Ok(mut thread) = self.thread.lock() {
            if let Some(t) = thread.take() {
                let _ = t.join();
            }
        }
    }
}

/// Move the calling process (or thread) into the namespace `fd`. Called in
/// a child between fork and exec, so it only makes a system call.
pub fn enter(fd: RawFd) -> io::Result<()> {
    // SAFETY: setns with a namespace fd; it changes only the caller.
    if unsafe { libc::setns(fd, libc::CLONE_NEWNET) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

fn new_tcp_socket() -> io::Result<OwnedFd> {
    // SAFETY: socket has no preconditions; the fd it returns is ours.
    let fd = unsafe {
        libc::socket(
            libc::AF_INET,
            libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a fresh descriptor that nothing else owns.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}
