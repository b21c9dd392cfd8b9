//! Who is who, as the operating system says: the account name of a uid, the groups of an
//! account, and the credentials of the process at the other end of a Unix socket
//! (SO_PEERCRED). Never `$USER`, which anyone can set.

use std::ffi::{CStr, CString};
use std::os::unix::io::AsRawFd;

/// The credentials of a connected peer, from the kernel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Peer {
    pub pid: u32,
    pub uid: u32,
    pub gid: u32,
}

/// The peer of a connected Unix socket.
pub fn peer_of(sock: &impl AsRawFd) -> std::io::Result<Peer> {
    let mut cred = libc::ucred { pid: 0, uid: 0, gid: 0 };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` bytes into `cred`, which is that large.
    let r = unsafe {
        libc::getsockopt(
            sock.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(Peer {
        pid: u32::try_from(cred.pid).unwrap_or(0),
        uid: cred.uid,
        gid: cred.gid,
    })
}

/// This process's real uid.
pub fn my_uid() -> u32 {
    // SAFETY: getuid cannot fail.
    unsafe { libc::getuid() }
}

/// This process's real gid.
pub fn my_gid() -> u32 {
    // SAFETY: getgid cannot fail.
    unsafe { libc::getgid() }
}

/// The account name of `uid` (from the password database), or `uid1234` if it has none.
pub fn name_of(uid: u32) -> String {
    let mut buf = vec![0u8; 4096];
    // SAFETY: an all-zero passwd is a valid value for getpwuid_r to fill in.
    let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
    let mut out: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: buf outlives the call and its length is passed; out is null or points at pw.
    let r = unsafe { libc::getpwuid_r(uid, &mut pw, buf.as_mut_ptr().cast(), buf.len(), &mut out) };
    if r == 0 && !out.is_null() && !pw.pw_name.is_null() {
        // SAFETY: getpwuid_r succeeded, so pw_name points at a NUL-terminated name in buf.
        let name = unsafe { CStr::from_ptr(pw.pw_name) }.to_string_lossy().into_owned();
        if !name.is_empty() {
            return name;
        }
    }
    format!("uid{uid}")
}

/// The name of group `gid`, if it has one.
pub fn group_name(gid: u32) -> Option<String> {
    let mut buf = vec![0u8; 16384];
    // SAFETY: as in `name_of`, for the group database.
    let mut gr: libc::group = unsafe { std::mem::zeroed() };
    let mut out: *mut libc::group = std::ptr::null_mut();
    // SAFETY: buf outlives the call; out is null or points at gr.
    let r = unsafe { libc::getgrgid_r(gid, &mut gr, buf.as_mut_ptr().cast(), buf.len(), &mut out) };
    if r == 0 && !out.is_null() && !gr.gr_name.is_null() {
        // SAFETY: getgrgid_r succeeded, so gr_name points at a NUL-terminated name in buf.
        Some(unsafe { CStr::from_ptr(gr.gr_name) }.to_string_lossy().into_owned())
    } else {
        None
    }
}

/// Whether account `uid` (primary group `gid`) is a member of group `group`.
pub fn in_group(uid: u32, gid: u32, group: u32) -> bool {
    if gid == group {
        return true;
    }
    let Ok(name) = CString::new(name_of(uid)) else {
        return false;
    };
    let mut groups = vec![0 as libc::gid_t; 256];
    let mut n: libc::c_int = groups.len() as libc::c_int;
    // SAFETY: `groups` holds `n` entries; getgrouplist writes at most that many and sets n.
    let r = unsafe { libc::getgrouplist(name.as_ptr(), gid, groups.as_mut_ptr(), &mut n) };
    r >= 0 && groups.iter().take(n.max(0) as usize).any(|g| *g == group)
}

/// The account running this process (by its real uid).
pub fn me() -> String {
    name_of(my_uid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peer_of_a_socket_pair_is_this_process() {
        let (a, _b) = std::os::unix::net::UnixStream::pair().expect("pair");
        let p = peer_of(&a).expect("peer");
        assert_eq!(p.uid, my_uid());
        assert_eq!(p.pid, std::process::id());
        assert!(in_group(p.uid, p.gid, p.gid));
    }

    #[test]
    fn names_come_from_the_password_database() {
        assert_eq!(me(), name_of(my_uid()));
        assert!(name_of(0) == "root" || name_of(0) == "uid0");
        assert_eq!(name_of(4_000_000_000), "uid4000000000");
    }
}
