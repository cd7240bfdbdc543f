//! Step 5, key pair: the private key generated in the background, the pair written, the result shown.
use super::{Effect, Existing, KeyGen, Model, PairInfo, Step, WriteMode};
use crate::session::PrivateKey;
use crate::session::Subject;
use crate::wizard::field::TextField;
use crossterm::event::{KeyCode, KeyEvent};
use std::sync::Arc;

/// Asks the runner to write the pair the forms describe, with the key if it is ready.
pub(super) fn write_pair(model: &mut Model) -> Vec<Effect> {
    let fields = &model.subject.fields;
    let values: Vec<&str> = fields.iter().take(7).map(TextField::text).collect();
    let array = [
        values[0], values[1], values[2], values[3], values[4], values[5], values[6],
    ];
    let subject = match Subject::new(array, model.key_files.name.text()) {
        Ok(s) => s,
        Err(e) => {
            model.pair.error = Some(e.message);
            return vec![];
        }
    };
    let days = fields[7]
        .text()
        .trim()
        .parse()
        .unwrap_or(crate::session::DEFAULT_DAYS);
    let key = match &model.pair.keygen {
        KeyGen::Ready(k) => Some(k.clone()),
        _ => None,
    };
    let mode = if model.key_files.existing == Existing::None {
        WriteMode::New
    } else {
        model.key_files.write_mode
    };
    let request = model.request();
    model.pair.request = request;
    model.pair.written = None;
    model.pair.error = None;
    vec![Effect::WritePair {
        request,
        dir: model.key_folder(),
        name: model.key_files.name.text().to_string(),
        subject,
        days,
        key,
        mode,
    }]
}

/// The background key: kept, and the pair written if the subject form was waiting for it.
pub(super) fn on_key_generated(
    model: &mut Model,
    request: u64,
    result: Result<Arc<PrivateKey>, String>,
) -> Vec<Effect> {
    if !matches!(model.pair.keygen, KeyGen::Running { request: r } if r == request) {
        return vec![];
    }
    model.pair.keygen = match result {
        Ok(key) => KeyGen::Ready(key),
        Err(e) => KeyGen::Failed(e),
    };
    if model.subject.waiting_for_key {
        model.subject.waiting_for_key = false;
        return write_pair(model);
    }
    vec![]
}

/// The pair as written, or why not; an older answer is dropped.
pub(super) fn on_pair_written(
    model: &mut Model,
    request: u64,
    result: Result<PairInfo, String>,
) -> Vec<Effect> {
    if request != model.pair.request {
        return vec![];
    }
    match result {
        Ok(info) => {
            model.pair.written = Some(info);
            model.pair.error = None;
        }
        Err(e) => model.pair.error = Some(e),
    }
    vec![]
}

/// Enter goes on once the pair is written (or back to the names if it failed); C copies the
/// certificate's path for the upload.
pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    match key.code {
        KeyCode::Enter if model.pair.written.is_some() => {
            model.step = Step::Credentials;
            vec![]
        }
        KeyCode::Enter if model.pair.error.is_some() => super::key_files::enter(model),
        KeyCode::Char('c') => match &model.pair.written {
            Some(pair) => {
                let text = pair.certificate.display().to_string();
                let request = model.request();
                model.copy.ask_again(request);
                vec![Effect::CopyText { request, text }]
            }
            None => vec![],
        },
        _ => vec![],
    }
}
