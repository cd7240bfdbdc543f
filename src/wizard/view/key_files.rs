//! Screen 3, Key folder and name: the two files that will be written, and what to do when they exist.
use super::super::model::{Existing, KeyGen, Model, WriteMode};
use super::super::theme::Theme;
use super::{form, para};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let intro = vec![
        Line::from("Where should the key pair go? Name it after the integration."),
        Line::from(""),
    ];
    frame.render_widget(para(intro), area);
    let fields_area = form::below(area, 2);
    let used = form::draw(
        &[&model.key_files.dir, &model.key_files.name],
        model.key_files.focus,
        18,
        2,
        theme,
        frame,
        fields_area,
    );
    let paths = model.pair_paths();
    let mut lines = vec![
        // Each path on a line of its own: a long absolute path never breaks its label apart.
        Line::styled("Files", theme.title),
        Line::from("  private key (0600, stays here)"),
        Line::from(format!("    {}", paths.private_key.display())),
        Line::from("  certificate (0644, the file to upload)"),
        Line::from(format!("    {}", paths.certificate.display())),
        Line::from(""),
    ];
    match &model.key_files.existing {
        // Said beside the folder field.
        Existing::Unknown | Existing::None | Existing::BadFolder(_) => {}
        Existing::MatchingPair => {
            lines.push(Line::styled(
                "These files exist, and the key matches the certificate.",
                theme.warn,
            ));
            lines.push(choice(
                model,
                theme,
                WriteMode::UseExisting,
                "Ctrl-K",
                "keep them as they are",
            ));
            lines.push(choice(
                model,
                theme,
                WriteMode::Replace,
                "Ctrl-R",
                "replace them; the old files are kept as timestamped backups",
            ));
            lines.push(Line::styled("  …or type another name.", theme.dim));
        }
        Existing::Unusable(why) => {
            lines.push(Line::styled(
                format!("Existing files cannot be used: {why}"),
                theme.warn,
            ));
            lines.push(choice(
                model,
                theme,
                WriteMode::Replace,
                "Ctrl-R",
                "replace them; the old files are kept as timestamped backups",
            ));
            lines.push(Line::styled("  …or type another name.", theme.dim));
        }
    }
    if let KeyGen::Failed(e) = &model.pair.keygen {
        lines.push(Line::styled(
            format!("Key generation failed: {e}"),
            theme.error,
        ));
    }
    let rest = form::below(fields_area, used);
    frame.render_widget(para(lines), rest);
}

fn choice<'a>(
    model: &Model,
    theme: &Theme,
    mode: WriteMode,
    key: &'a str,
    text: &'a str,
) -> Line<'a> {
    let chosen = model.key_files.write_mode == mode;
    Line::from(vec![
        Span::styled(if chosen { "  (•) " } else { "  ( ) " }, theme.accent),
        Span::styled(key, theme.key),
        Span::styled(
            format!(" {text}"),
            if chosen {
                theme.title
            } else {
                ratatui::style::Style::new()
            },
        ),
    ])
}
