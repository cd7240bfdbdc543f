//! Windows: the clipboard, through arboard. It keeps what is copied after this process exits,
//! so no holder process is needed.
/// Puts `text` on the clipboard, left out of the clipboard history (Win+V) and of the cloud
/// clipboard that would send it to the person's other devices, and reads it back: Ok only when
/// the clipboard holds it.
pub fn copy(text: &str) -> Result<&'static str, String> {
    use arboard::SetExtWindows;
    if super::over_ssh() {
        return Err(
            "over SSH, this computer's clipboard is not the one you paste from".to_string(),
        );
    }
    let mut clipboard =
        arboard::Clipboard::new().map_err(|e| format!("cannot open the clipboard: {e}"))?;
    clipboard
        .set()
        .exclude_from_history()
        .exclude_from_cloud()
        .text(text)
        .map_err(|e| format!("cannot set the clipboard: {e}"))?;
    match clipboard.get_text() {
        Ok(held) if held == text => Ok("Windows"),
        _ => Err("the clipboard did not keep the text".to_string()),
    }
}

/// Not used on Windows: the clipboard keeps the text itself.
pub fn hold() -> i32 {
    println!("the Windows clipboard needs no holder");
    1
}
