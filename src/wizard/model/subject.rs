//! Step 4, certificate subject: the seven subject fields and the validity in days.
use super::{Effect, KeyGen, Model, Step, generating};
use crate::session::SubjectField as Field;
use crossterm::event::{KeyCode, KeyEvent};

/// Re-checks the focused field as it is typed.
pub(super) fn revalidate(model: &mut Model) {
    let i = model.subject.focus;
    let field = &mut model.subject.fields[i];
    field.error = check_subject_field(i, field.text()).err();
}

/// Typing edits and checks the focused field; Enter checks all, then writes the pair
/// (or waits for the key still being generated).
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if key.code != KeyCode::Enter {
        super::edit(model, key);
        return vec![];
    }
    for (i, field) in model.subject.fields.iter_mut().enumerate() {
        field.error = check_subject_field(i, field.text()).err();
    }
    if let Some(first) = model.subject.fields.iter().position(|f| f.error.is_some()) {
        model.subject.focus = first;
        return vec![];
    }
    model.step = Step::Generating;
    match &model.pair.keygen {
        KeyGen::Ready(_) => generating::write_pair(model),
        KeyGen::Running { .. } => {
            model.subject.waiting_for_key = true;
            vec![]
        }
        KeyGen::Idle | KeyGen::Failed(_) => {
            let request = model.request();
            model.pair.keygen = KeyGen::Running { request };
            model.subject.waiting_for_key = true;
            vec![Effect::GenerateKey { request }]
        }
    }
}

/// One subject field (by its place in the form) or, last, the validity in days.
fn check_subject_field(index: usize, value: &str) -> Result<(), String> {
    if index < Field::ALL.len() {
        Field::ALL[index]
            .check(value)
            .map(drop)
            // The problem and its fix ("… not a two-letter country code — use a code such as
            // US"); the error wraps under the field.
            .map_err(|e| match &e.hint {
                Some(fix) => format!("{} — {fix}", e.problem()),
                None => e.problem().to_string(),
            })
    } else {
        let value = value.trim();
        match value.parse::<u64>() {
            Ok(1..=3650) => Ok(()),
            Ok(n) => Err(format!(
                "{n} days is out of range — give a whole number of days from 1 to 3650"
            )),
            Err(_) => Err(format!(
                "{} is not a whole number — give the days, from 1 to 3650 (365 is the guide's)",
                crate::text::excerpt(value)
            )),
        }
    }
}
