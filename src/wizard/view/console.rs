//! OAuth Server-to-Server, Developer Console: the current steps to make the credential, and what its page shows.
use super::super::model::Model;
use super::super::theme::Theme;
use super::para;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

/// Adobe's current steps for a Places credential (OAuth Server-to-Server).
const STEPS: [&str; 7] = [
    "Open developer.adobe.com/console and pick your organization (top right).",
    "Create new project (or open one), then Add API.",
    "Choose the Places card, then Next.",
    "Choose OAuth Server-to-Server and give the credential a name.",
    "Pick a product profile of Experience Platform; Save configured API.",
    "Open Credentials → OAuth Server-to-Server on the project's page.",
    "Keep that page open: the next screen asks for what it shows.",
];

pub fn draw(model: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let mut lines = vec![
        Line::styled("In the Adobe Developer Console:", theme.title),
        Line::from(""),
    ];
    for (i, step) in STEPS.iter().enumerate() {
        lines.push(Line::from(format!("  {}. {step}", i + 1)));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("The credential's page shows", theme.title));
    for (what, shape) in [
        ("Client ID", "32 hex characters, also called the API key"),
        ("Client secret", "\"Retrieve client secret\" shows it"),
        ("Organization ID", "24 hex characters + @AdobeOrg"),
        ("Scopes", "a list such as openid, AdobeID, …"),
    ] {
        lines.push(Line::from(format!("  {what:<16} {shape}")));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "No key pair is needed. \"Download all\" on the project's page saves a JSON file that the welcome screen can import instead.",
        theme.dim,
    ));
    if model.run.demo {
        lines.push(Line::styled(
            "DEMO: the emulator plays the Console; its values are filled in next.",
            theme.warn,
        ));
    }
    frame.render_widget(para(lines), area);
}
