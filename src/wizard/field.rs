//! A one-line text field: value, cursor, masking, and the error shown beside it.
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Clone, Default)]
pub struct TextField {
    pub label: &'static str,
    pub placeholder: &'static str,
    value: String,
    /// Cursor position in characters.
    cursor: usize,
    pub masked: bool,
    pub revealed: bool,
    pub error: Option<String>,
}

impl std::fmt::Debug for TextField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = if self.masked {
            "[REDACTED]"
        } else {
            self.value.as_str()
        };
        f.debug_struct("TextField")
            .field("label", &self.label)
            .field("value", &value)
            .field("error", &self.error)
            .finish()
    }
}

impl TextField {
    pub fn new(label: &'static str) -> TextField {
        TextField {
            label,
            ..TextField::default()
        }
    }

    pub fn placeholder(mut self, text: &'static str) -> TextField {
        self.placeholder = text;
        self
    }

    pub fn value(mut self, text: &str) -> TextField {
        self.set(text);
        self
    }

    pub fn masked(mut self) -> TextField {
        self.masked = true;
        self
    }

    pub fn text(&self) -> &str {
        &self.value
    }

    pub fn set(&mut self, text: &str) {
        self.value = text.to_string();
        self.cursor = self.value.chars().count();
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// What the screen shows: bullets for a masked value unless revealed.
    pub fn display(&self) -> String {
        if self.masked && !self.revealed {
            "•".repeat(self.value.chars().count())
        } else {
            self.value.clone()
        }
    }

    fn byte_index(&self, chars: usize) -> usize {
        self.value
            .char_indices()
            .nth(chars)
            .map_or(self.value.len(), |(i, _)| i)
    }

    pub fn insert_str(&mut self, text: &str) {
        let at = self.byte_index(self.cursor);
        self.value.insert_str(at, text);
        self.cursor += text.chars().count();
    }

    /// Applies an editing key; returns whether the value changed.
    pub fn on_key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let len = self.value.chars().count();
        match key.code {
            KeyCode::Char('u') if ctrl => {
                let changed = !self.value.is_empty();
                self.set("");
                changed
            }
            KeyCode::Char('a') if ctrl => {
                self.cursor = 0;
                false
            }
            KeyCode::Char('e') if ctrl => {
                self.cursor = len;
                false
            }
            KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
                let at = self.byte_index(self.cursor);
                self.value.insert(at, c);
                self.cursor += 1;
                true
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte_index(self.cursor);
                self.value.remove(at);
                true
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte_index(self.cursor);
                self.value.remove(at);
                true
            }
            KeyCode::Left => {
                self.cursor = self.cursor.saturating_sub(1);
                false
            }
            KeyCode::Right => {
                self.cursor = (self.cursor + 1).min(len);
                false
            }
            KeyCode::Home => {
                self.cursor = 0;
                false
            }
            KeyCode::End => {
                self.cursor = len;
                false
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn edits_at_the_cursor_in_characters() {
        let mut f = TextField::new("x").value("San José");
        assert!(f.on_key(key(KeyCode::Backspace)));
        assert_eq!(f.text(), "San Jos");
        f.on_key(key(KeyCode::Home));
        f.on_key(key(KeyCode::Right));
        assert!(f.on_key(key(KeyCode::Char('é'))));
        assert_eq!(f.text(), "Séan Jos");
        assert!(f.on_key(key(KeyCode::Delete)));
        assert_eq!(f.text(), "Sén Jos");
        assert!(!f.on_key(key(KeyCode::Left)));
        f.insert_str("ab");
        assert_eq!(f.text(), "Sabén Jos");
        assert!(f.on_key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
        assert_eq!(f.text(), "");
        assert!(!f.on_key(key(KeyCode::Backspace)));
    }

    #[test]
    fn masked_values_stay_masked_in_display_and_debug() {
        let mut f = TextField::new("secret").masked().value("p8e-abc");
        assert_eq!(f.display(), "•••••••");
        assert!(!format!("{f:?}").contains("p8e-abc"));
        f.revealed = true;
        assert_eq!(f.display(), "p8e-abc");
    }
}
