//! Step 3, key folder and name: where the key pair goes, and what to do with files already there.
use super::{Effect, Existing, KeyGen, Model, Step, WriteMode, generating};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Shows the screen, asking at once what is on disk under the names in the form: files may
/// have appeared since (the pair written a moment ago, another program).
pub(super) fn enter(model: &mut Model) -> Vec<Effect> {
    model.step = Step::KeyFiles;
    check_existing(model)
}

/// Asks the runner what is on disk under the names in the form; an older answer is dropped.
pub(super) fn check_existing(model: &mut Model) -> Vec<Effect> {
    model.key_files.continue_after_check = false;
    let request = model.request();
    model.key_files.existing_request = request;
    model.key_files.existing = Existing::Unknown;
    vec![Effect::CheckExisting {
        request,
        dir: model.key_folder(),
        name: model.key_files.name.text().to_string(),
    }]
}

/// Re-checks both fields of the form (whichever has the focus); errors show beside them.
pub(super) fn revalidate(model: &mut Model) {
    let name = model.key_files.name.text().to_string();
    // Which characters work, as the command line's hint says, short enough for the line.
    model.key_files.name.error = crate::session::check_name(&name).err().map(|e| {
        if name.is_empty() {
            e.problem().to_string()
        } else if name.contains(' ') {
            "no spaces: use letters, digits, - _ and .".to_string()
        } else {
            "only letters, digits, - _ and . (not first)".to_string()
        }
    });
    model.key_files.dir.error = if model.key_files.dir.text().trim().is_empty() {
        Some("choose a folder".into())
    } else {
        None
    };
}

/// Typing re-checks what exists under the new names; Ctrl-K / Ctrl-R (or Alt-U / Alt-R) choose
/// what to do with it; Enter goes on to the subject (or straight to the pair when existing files
/// are reused).
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    if matches!(
        model.key_files.existing,
        Existing::MatchingPair | Existing::Unusable(_)
    ) {
        // Chosen without leaving the text fields. Ctrl-K and Ctrl-R reach the program on every
        // terminal; Alt-U and Alt-R do not on macOS's Terminal.app and iTerm2 as they come
        // (Option types a character there), so they are kept only for those used to them.
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let chosen = match key.code {
            KeyCode::Char('k') if ctrl => Some(WriteMode::UseExisting),
            KeyCode::Char('u') if alt => Some(WriteMode::UseExisting),
            KeyCode::Char('r') if ctrl || alt => Some(WriteMode::Replace),
            _ if alt => return vec![],
            _ => None,
        };
        if let Some(mode) = chosen {
            if mode == WriteMode::Replace || model.key_files.existing == Existing::MatchingPair {
                model.key_files.write_mode = mode;
            }
            return vec![];
        }
    }
    if key.code == KeyCode::Enter {
        revalidate(model);
        if model.key_files.dir.error.is_some() || model.key_files.name.error.is_some() {
            return vec![];
        }
        if let Existing::BadFolder(why) = &model.key_files.existing {
            model.key_files.dir.error = Some(why.clone());
            model.key_files.focus = 0;
            return vec![];
        }
        if model.key_files.existing == Existing::Unknown {
            // The check is on its way; go on as soon as it answers.
            model.key_files.continue_after_check = true;
            return vec![];
        }
        model.step = Step::Subject;
        let mut effects = vec![];
        let needs_key = model.key_files.existing == Existing::None
            || model.key_files.write_mode == WriteMode::Replace;
        if needs_key && matches!(model.pair.keygen, KeyGen::Idle | KeyGen::Failed(_)) {
            // Started now, the key is usually ready before the subject form is done.
            let request = model.request();
            model.pair.keygen = KeyGen::Running { request };
            effects.push(Effect::GenerateKey { request });
        }
        if model.key_files.existing == Existing::MatchingPair
            && model.key_files.write_mode == WriteMode::UseExisting
        {
            // Nothing to generate or write: the form is skipped.
            model.step = Step::Generating;
            return generating::write_pair(model);
        }
        return effects;
    }
    if super::edit(model, key) {
        // Another name or folder: whatever was found before no longer applies.
        return check_existing(model);
    }
    vec![]
}

/// What is on disk under the names: the default choice follows it, and an Enter pressed while
/// the check was on its way is carried out now.
pub(super) fn on_existing_checked(
    model: &mut Model,
    request: u64,
    existing: Existing,
) -> Vec<Effect> {
    if request == model.key_files.existing_request {
        // Said beside the folder, where the fix is typed; Enter waits for another folder.
        if let Existing::BadFolder(why) = &existing {
            model.key_files.dir.error = Some(why.clone());
        }
        model.key_files.existing = existing;
        if model.key_files.existing == Existing::None {
            model.key_files.write_mode = WriteMode::New;
        } else if model.key_files.write_mode == WriteMode::New {
            model.key_files.write_mode = if model.key_files.existing == Existing::MatchingPair {
                WriteMode::UseExisting
            } else {
                WriteMode::Replace
            };
        }
        if std::mem::take(&mut model.key_files.continue_after_check)
            && model.step == Step::KeyFiles
            && model.key_files.existing == Existing::None
        {
            return on_key(model, KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
        }
    }
    vec![]
}
