//! Step 2, prerequisites: the checklist (of the kind of integration chosen) of what must be true
//! before the Adobe Developer Console offers Places.
use super::{Effect, Model, Step, key_files};
use crate::session::Auth;
use crossterm::event::{KeyCode, KeyEvent};

impl Model {
    /// Items left unticked that the Console's offer of Places depends on (not the optional ones).
    pub fn unticked_required(&self) -> usize {
        self.prerequisites()
            .iter()
            .zip(&self.checklist.ticked)
            .filter(|(item, ticked)| !item.optional && !**ticked)
            .count()
    }
}

/// Space ticks an item; Enter goes on (after one warning if something is unticked).
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Char(' ') => {
            let checklist = &mut model.checklist;
            if let Some(t) = checklist.ticked.get_mut(checklist.focus) {
                *t = !*t;
            }
            vec![]
        }
        KeyCode::Enter => {
            if model.unticked_required() > 0 && !model.checklist.unticked_warned {
                // Asked once; a second Enter goes on.
                model.checklist.unticked_warned = true;
                return vec![];
            }
            if model.auth() == Auth::Oauth {
                model.step = Step::Console;
                return vec![];
            }
            key_files::enter(model)
        }
        _ => vec![],
    }
}
