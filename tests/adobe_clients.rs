//! Adobe's own Node clients against the emulator: `@adobe/jwt-auth` and `@adobe/aio-lib-ims` (the
//! token code of the `aio` CLI), installed from the npm registry into target/. When one of them
//! and the emulator disagree, the emulator is wrong. Skipped, saying so, only where node or npm
//! is missing (scripts/setup --for-tests installs them).
mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const PACKAGES: [&str; 2] = ["@adobe/aio-lib-ims@8.1.2", "@adobe/jwt-auth@2.0.0"];

fn found(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The clients, installed once into target/adobe-clients and reused by later runs.
fn install() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/adobe-clients");
    let installed = |name: &str, version: &str| {
        std::fs::read_to_string(dir.join(format!("node_modules/{name}/package.json")))
            .is_ok_and(|p| p.contains(&format!("\"version\": \"{version}\"")))
    };
    if installed("@adobe/aio-lib-ims", "8.1.2") && installed("@adobe/jwt-auth", "2.0.0") {
        return dir;
    }
    std::fs::create_dir_all(&dir).unwrap();
    // A package.json of its own, so npm installs here and not in some parent folder.
    std::fs::write(dir.join("package.json"), "{\"private\": true}\n").unwrap();
    let out = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
        .args(PACKAGES)
        .current_dir(&dir)
        .output()
        .expect("npm runs");
    assert!(
        out.status.success(),
        "npm install {PACKAGES:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir
}

#[test]
fn adobes_node_clients_get_tokens_from_the_emulator() {
    if !found("node") || !found("npm") {
        return skip(
            "adobe_clients",
            "node and npm are needed to install Adobe's own clients (scripts/setup --for-tests installs them)",
        );
    }
    let modules = install().join("node_modules");
    let home = Home::new();
    let (key, cert) = home.make_keys("node");
    home.emulator.add_jwt_integration(home.integration(&cert));
    home.emulator
        .add_oauth_credential(oauth_credential(OTHER_CLIENT));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/adobe_clients/get_tokens.js");
    let out = Command::new("node")
        .arg(&script)
        .env("NODE_PATH", &modules)
        .env("NO_PROXY", "*")
        .env_remove("HTTPS_PROXY")
        .env_remove("HTTP_PROXY")
        .env_remove("https_proxy")
        .env_remove("http_proxy")
        .env("IMS_URL", home.emulator.url())
        .env("PRIVATE_KEY", &key)
        .env("ORG_ID", ORG)
        .env("TECHNICAL_ACCOUNT_ID", TECH)
        .env("JWT_CLIENT_ID", CLIENT)
        .env("OAUTH_CLIENT_ID", OTHER_CLIENT)
        .env("CLIENT_SECRET", SECRET)
        .env("SCOPES", OAUTH_SCOPES)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let clients: Vec<&str> = answers
        .iter()
        .map(|a| a["client"].as_str().unwrap())
        .collect();
    assert_eq!(
        clients,
        ["jwt-auth", "aio-lib-ims jwt", "aio-lib-ims oauth"]
    );
    // Milliseconds from the JWT exchange, seconds from client credentials, as IMS answers.
    assert_eq!(answers[0]["expires_in"], 86_400_000);
    assert_eq!(answers[1]["expires_in"], 86_400_000);
    assert_eq!(answers[2]["expires_in"], 86_400);
    // aio-lib-ims reads the expiry out of the token (created_at + expires_in): a day ahead.
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    for answer in &answers[1..] {
        let expiry = answer["expiry"].as_i64().unwrap();
        assert!((expiry - now_ms - 86_400_000).abs() < 60_000, "{answer}");
    }
    // What the clients sent: jwt-auth multipart to the trailing-slash path, aio-lib-ims to /ims/token/v2 with org_id.
    let oauth = home.emulator.last_request("/ims/token/v2").unwrap();
    assert!(
        oauth
            .header("content-type")
            .unwrap()
            .starts_with("multipart/form-data")
    );
    assert_eq!(oauth.field("org_id"), Some(ORG));
}
