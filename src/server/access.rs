//! Who may attach to a database's server: its directory's owner, the members of its team
//! group (a setgid, group-accessible directory), and the accounts named in its access list
//! (`atbalsts.access` in the directory). Also which directory modes the server accepts and
//! what mode its socket gets.

use super::ServeError;
use super::proto::ACCESS;
use crate::account::Peer;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The accounts in the access list of the database in `dir`: one name a line, `#` starts a
/// comment. A list that other accounts could change is not believed (empty).
pub fn list(dir: &Path) -> Vec<String> {
    let path = dir.join(ACCESS);
    let Ok(meta) = std::fs::metadata(&path) else {
        return Vec::new();
    };
    if meta.mode() & 0o002 != 0 || !meta.is_file() {
        crate::log!("serve: access list ignored: others may write it");
        return Vec::new();
    }
    std::fs::read_to_string(&path)
        .unwrap_or_default()
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether the directory has an access list (even an empty one): then others may pass
/// through it (`o+x`, never read or write) to reach the socket, and the server decides.
pub fn has_list(dir: &Path) -> bool {
    dir.join(ACCESS).is_file()
}

/// Who may use the database in `dir`.
pub struct Access {
    dir: PathBuf,
    owner: u32,
    /// The team group, for a setgid group-accessible directory.
    group: Option<u32>,
}

impl Access {
    pub fn of(dir: &Path) -> std::io::Result<Access> {
        let meta = std::fs::metadata(dir)?;
        let team = meta.mode() & 0o2070 == 0o2070;
        Ok(Access {
            dir: dir.to_owned(),
            owner: meta.uid(),
            group: team.then_some(meta.gid()),
        })
    }

    /// The team group's name, for a refusal to name.
    pub fn group_name(&self) -> Option<String> {
        self.group.and_then(crate::account::group_name)
    }

    /// Whether `peer` (account `name`) may attach. The access list is read again for each
    /// account outside the owner and group, so an account added to it is accepted at once.
    pub fn allows(&self, peer: &Peer, name: &str) -> bool {
        peer.uid == self.owner
            || peer.uid == crate::account::my_uid()
            || self
                .group
                .is_some_and(|g| crate::account::in_group(peer.uid, peer.gid, g))
            || list(&self.dir).iter().any(|a| a == name)
    }

    /// The socket's mode: others may connect when the directory lets them through (an access
    /// list, `o+x`), the group for a team directory, else the owner only.
    pub fn socket_mode(&self) -> u32 {
        let through = std::fs::metadata(&self.dir).is_ok_and(|m| m.mode() & 0o001 != 0);
        if through {
            0o666
        } else if self.group.is_some() {
            0o660
        } else {
            0o600
        }
    }
}

/// Refuses a database directory that others (not the owner, not its team group) can read or
/// write, with the command that fixes it. Others may pass through (`o+x`) only to a
/// directory with an access list.
pub fn check_private(dir: &Path) -> Result<(), ServeError> {
    let meta = std::fs::metadata(dir).map_err(|e| ServeError::Io(dir.to_owned(), e))?;
    let mode = meta.mode();
    if mode & 0o006 != 0 || (mode & 0o001 != 0 && !has_list(dir)) {
        return Err(ServeError::Refused(crate::i18n::f(
            crate::i18n::M::ServeOpenDir,
            &[&dir.display(), &format!("chmod o-rwx {}", dir.display())],
        )));
    }
    Ok(())
}

/// The owner of the database directory `dir` when this account must not make files in it
/// (start its server, open it itself): it is neither the directory's owner nor, for a team
/// directory, in its group. Root is no exception: a root-owned file in someone's private
/// database would lock its owner out. `None` for a directory that does not exist yet.
pub fn foreign_owner(dir: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(dir).ok()?;
    let me = crate::account::my_uid();
    if meta.uid() == me {
        return None;
    }
    let team = meta.mode() & 0o2070 == 0o2070;
    if team && crate::account::in_group(me, crate::account::my_gid(), meta.gid()) {
        return None;
    }
    Some(crate::account::name_of(meta.uid()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn chmod(p: &Path, mode: u32) {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }

    #[test]
    fn the_list_has_names_without_comments_and_blank_lines() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(list(dir.path()).is_empty());
        std::fs::write(
            dir.path().join(ACCESS),
            "# who else may attach\n\n anna  \nbruno # desk 2\n",
        )
        .expect("write");
        chmod(&dir.path().join(ACCESS), 0o600);
        assert_eq!(list(dir.path()), vec!["anna".to_string(), "bruno".to_string()]);
        // A list others may change is not believed.
        chmod(&dir.path().join(ACCESS), 0o666);
        assert!(list(dir.path()).is_empty());
    }

    #[test]
    fn others_may_pass_through_only_to_a_directory_with_an_access_list() {
        let dir = tempfile::tempdir().expect("tempdir");
        chmod(dir.path(), 0o700);
        assert!(check_private(dir.path()).is_ok());
        chmod(dir.path(), 0o711);
        assert!(check_private(dir.path()).is_err());
        std::fs::write(dir.path().join(ACCESS), "").expect("write");
        assert!(check_private(dir.path()).is_ok());
        let a = Access::of(dir.path()).expect("access");
        assert_eq!(a.socket_mode(), 0o666);
        chmod(dir.path(), 0o755);
        assert!(check_private(dir.path()).is_err(), "readable by others");
        chmod(dir.path(), 0o700);
        assert_eq!(Access::of(dir.path()).expect("access").socket_mode(), 0o600);
    }

    #[test]
    fn an_account_on_the_list_is_allowed_and_one_not_on_it_is_not() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = Access::of(dir.path()).expect("access");
        // A uid that is neither the owner nor this process.
        let stranger = Peer {
            pid: 1,
            uid: 4_000_000_001,
            gid: 4_000_000_001,
        };
        assert!(!a.allows(&stranger, "stranger"));
        std::fs::write(dir.path().join(ACCESS), "stranger\n").expect("write");
        chmod(&dir.path().join(ACCESS), 0o600);
        assert!(a.allows(&stranger, "stranger"));
        assert!(!a.allows(&stranger, "someone"));
    }
}
