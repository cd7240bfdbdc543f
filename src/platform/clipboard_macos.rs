//! macOS: the general pasteboard, through arboard. It needs no display variable and keeps what
//! is copied after this process exits, so no holder process is needed.

/// Puts `text` on the pasteboard, marked for clipboard managers to leave out of their history
/// (the nspasteboard.org convention), and reads it back: Ok only when the pasteboard holds it.
pub fn copy(text: &str) -> Result<&'static str, String> {
    use arboard::SetExtApple;
    if super::over_ssh() {
        // The pasteboard here is the Mac's own, not that of the computer the person types on.
        return Err("over SSH, this Mac's pasteboard is not the one you paste from".to_string());
    }
    let mut clipboard =
        arboard::Clipboard::new().map_err(|e| format!("cannot open the pasteboard: {e}"))?;
    clipboard
        .set()
        .exclude_from_history()
        .text(text)
        .map_err(|e| format!("cannot set the pasteboard: {e}"))?;
    match clipboard.get_text() {
        Ok(held) if held == text => Ok("macOS pasteboard"),
        _ => Err("the pasteboard did not keep the text".to_string()),
    }
}

/// Not used on macOS: the pasteboard keeps the text itself.
pub fn hold() -> i32 {
    println!("the macOS pasteboard needs no holder");
    1
}
