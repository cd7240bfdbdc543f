//! `config.toml`, which a person may edit by hand: `store::config::Config::parse`, and the promise
//! that whatever it accepts is written back (by `init`) in a form it accepts again, unchanged.
#![no_main]
use libfuzzer_sys::fuzz_target;
use places_setup::store::Config;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    // The file is read with read_to_string: only UTF-8 reaches the parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("/home/u/.config/places-setup/config.toml");
    match Config::parse(text, path) {
        Ok(config) => {
            // A name from the file names a folder: only names `--profile` accepts get through.
            for name in config.profiles.keys() {
                assert!(places_setup::ids::profile_name(name).is_ok(), "{name:?}");
            }
            let saved = config.to_toml();
            let back = Config::parse(&saved, path)
                .unwrap_or_else(|e| panic!("a saved config does not load again: {e:?}\n{saved}"));
            assert_eq!(back, config, "saving changed the profiles:\n{saved}");
        }
        Err(error) => {
            assert!(error.message.starts_with(&path.display().to_string()));
            assert!(error.hint.is_some());
        }
    }
});
