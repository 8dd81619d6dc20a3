//! Files that hold secrets or the record: the data directory is the
//! owner's alone (0700), and what the server writes in it, or writes for an
//! admin (backups, exports), is readable by the owner only (0600).
//!
//! Token and key files are opened without following symbolic links: a link
//! planted in their place would otherwise make the server write a secret
//! wherever it points. A token file that others can read is used, with a
//! warning, since refusing it would lock the admin out of their own server.

use anyhow::{bail, Context, Result};
use std::io::{Read, Write};
use std::path::Path;

/// Make everything this process creates private to its owner: SQLite's
/// database, WAL and shared-memory files, backups and exports are made by
/// code that does not take a mode, so the umask is what sets theirs.
pub fn restrict_umask() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file-mode creation mask; it
    // cannot fail and touches no memory.
    unsafe {
        libc::umask(0o077);
    }
}

/// Create the data directory (0700), or check an existing one: a directory
/// that others can enter is made private, with a warning.
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        bail!(
            "data directory {} exists but is not a directory",
            dir.display()
        );
    }
    if !dir.exists() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(dir)
            .with_context(|| format!("cannot create data directory {}", dir.display()))?;
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(dir)
            .with_context(|| format!("cannot read data directory {}", dir.display()))?;
        if meta.permissions().mode() & 0o077 != 0 {
            match std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)) {
                Ok(()) => tracing::warn!(
                    dir = %dir.display(),
                    "the data directory was open to other users; it is now 0700"
                ),
                Err(e) => tracing::warn!(
                    dir = %dir.display(),
                    error = %e,
                    "the data directory is open to other users and cannot be made private"
                ),
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn no_follow(options: &mut std::fs::OpenOptions) {
    use std::os::unix::fs::OpenOptionsExt;
    options.custom_flags(libc::O_NOFOLLOW);
}

#[cfg(not(unix))]
fn no_follow(_: &mut std::fs::OpenOptions) {}

/// Whether `path` is a symbolic link (without following it).
fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Read a secret file, `None` when it does not exist. A symbolic link is
/// refused; a file others can read is read, with a warning.
pub fn read_private(path: &Path) -> Result<Option<String>> {
    if is_link(path) {
        bail!(
            "{} is a symbolic link; refusing to read a secret through it",
            path.display()
        );
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    no_follow(&mut options);
    let mut file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    warn_if_shared(path, &file);
    let mut text = String::new();
    file.read_to_string(&mut text)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(Some(text))
}

/// Warn when a secret file can be read by others.
pub fn warn_if_shared(path: &Path, file: &std::fs::File) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = file.metadata() {
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                tracing::warn!(
                    file = %path.display(),
                    mode = format!("{:o}", mode & 0o777),
                    "a secret file can be read by other users: chmod 600 it"
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = (path, file);
}

/// Write a file that only its owner can read (0600, also when it existed
/// with a wider mode), refusing to follow a symbolic link in its place.
pub fn write_private(path: &Path, text: &str) -> Result<()> {
    if is_link(path) {
        bail!(
            "{} is a symbolic link; refusing to write a secret through it",
            path.display()
        );
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    no_follow(&mut options);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot make {} private", path.display()))?;
    }
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_secret_is_written_0600_even_over_a_wider_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("chair.token");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&path, "new\n").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(read_private(&path).unwrap().as_deref(), Some("new\n"));
    }

    #[test]
    fn a_link_in_place_of_a_secret_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, "x").unwrap();
        let path = dir.path().join("chair.token");
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        assert!(write_private(&path, "secret").is_err());
        assert!(read_private(&path).is_err());
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "x");
    }

    #[test]
    fn the_data_directory_is_made_private() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("new");
        ensure_private_dir(&data).unwrap();
        let mode = std::fs::metadata(&data).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&data).unwrap();
        let mode = std::fs::metadata(&data).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
    }
}
