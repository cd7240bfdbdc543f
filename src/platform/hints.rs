//! The commands a message suggests, in each system's own tools: one small function a hint, the
//! system given as a value so every system's text is tested wherever the tests run.
use super::Os;

/// How to set the clock right from a time server.
pub fn set_clock(os: Os) -> &'static str {
    match os {
        Os::Linux => "`sudo timedatectl set-ntp true`",
        Os::MacOs => "`sudo sntp -sS time.apple.com`",
        Os::Windows => "`w32tm /resync` in a PowerShell run as administrator",
    }
}

/// What to do when no system keyring answers.
pub fn start_keyring(os: Os) -> &'static str {
    match os {
        Os::Linux => {
            "on Linux, start a Secret Service (gnome-keyring, KeePassXC…) in this D-Bus session and check DBUS_SESSION_BUS_ADDRESS"
        }
        Os::MacOs => {
            "on macOS, unlock the login keychain (Keychain Access), or log in at the Mac itself once: an SSH session cannot unlock it"
        }
        Os::Windows => {
            "on Windows, check that the Credential Manager service (VaultSvc) is running: Get-Service VaultSvc"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_system_is_told_its_own_commands() {
        assert!(set_clock(Os::Linux).contains("timedatectl"));
        assert!(set_clock(Os::MacOs).contains("sntp -sS time.apple.com"));
        assert!(set_clock(Os::Windows).contains("w32tm /resync"));
        assert!(start_keyring(Os::Linux).contains("Secret Service"));
        assert!(start_keyring(Os::MacOs).contains("keychain"));
        assert!(start_keyring(Os::Windows).contains("Credential Manager"));
        for os in [Os::MacOs, Os::Windows] {
            assert!(!set_clock(os).contains("timedatectl"), "{os:?}");
            assert!(!start_keyring(os).contains("D-Bus"), "{os:?}");
        }
    }
}
