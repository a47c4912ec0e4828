//! A throwaway PostgreSQL container through testcontainers (blocking API).
//!
//! The image must follow the official `postgres` image's contract:
//! POSTGRES_USER/PASSWORD/DB, port 5432, and "database system is ready to
//! accept connections" in its log. Readiness is proven by connecting, since
//! the official image prints that message once for its init server too.

use std::time::Duration;

use testcontainers::core::{IntoContainerPort, Mount, WaitFor};
use testcontainers::runners::SyncRunner;
use testcontainers::{Container, GenericImage, ImageExt};

use super::cleanup::{Cleanup, Starting};
use super::ThrowawayError;

/// The official image at a current major version.
pub const DEFAULT_IMAGE: &str = "postgres:17";

pub struct DockerServer {
    /// Declared before the container: dropped first, it unregisters the
    /// signal-time removal before the container's own `Drop` removes it.
    _on_signal: Cleanup,
    container: Container<GenericImage>,
    pub image: String,
    /// `postgres://postgres:PASSWORD@127.0.0.1:PORT/postgres` (a random
    /// per-run password; redacted in every message).
    pub url: String,
}

impl DockerServer {
    pub fn short_id(&self) -> &str {
        let id = self.container.id();
        &id[..id.len().min(12)]
    }

    pub fn id(&self) -> &str {
        self.container.id()
    }
}

/// Removes a container through the engine's API on its unix socket
/// (used on a signal, when no async runtime can be relied on).
fn force_remove(container: &str) {
    let _ = engine_request(
        "DELETE",
        &format!("/containers/{container}?force=true&v=true"),
    );
    // The removal may already be under way from another path (the
    // container's own drop): the engine then answers 409 at once and
    // finishes later. The process must not end before the container is
    // gone, or a check right after sees it.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        match engine_request("GET", &format!("/containers/{container}/json")) {
            Some(404) => return,
            None => return,
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// One request to the Docker engine's socket; its HTTP status, or `None`
/// when the engine cannot be reached.
fn engine_request(method: &str, path: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let socket = std::env::var("DOCKER_HOST")
        .ok()
        .and_then(|h| h.strip_prefix("unix://").map(str::to_string))
        .unwrap_or_else(|| "/var/run/docker.sock".to_string());
    let mut stream = std::os::unix::net::UnixStream::connect(socket).ok()?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
    let request = format!("{method} {path} HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    // "HTTP/1.1 204 No Content"
    String::from_utf8_lossy(&reply)
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
}

/// Whether a Docker engine answers on `DOCKER_HOST` or the default socket.
pub fn engine_available() -> Result<(), String> {
    if let Ok(host) = std::env::var("DOCKER_HOST") {
        if let Some(path) = host.strip_prefix("unix://") {
            return std::os::unix::net::UnixStream::connect(path)
                .map(|_| ())
                .map_err(|e| format!("{host}: {e}"));
        }
        return Ok(());
    }
    let socket = "/var/run/docker.sock";
    std::os::unix::net::UnixStream::connect(socket)
        .map(|_| ())
        .map_err(|e| format!("{socket}: {e}"))
}

/// `name[:tag]` -> (name, tag); a registry port (`host:5000/img`) is not a tag.
fn split_image(image: &str) -> (String, String) {
    match image.rfind(':') {
        Some(i) if !image[i..].contains('/') => {
            (image[..i].to_string(), image[i + 1..].to_string())
        }
        _ => (image.to_string(), "latest".to_string()),
    }
}

pub fn start(image: Option<&str>) -> Result<DockerServer, ThrowawayError> {
    engine_available().map_err(ThrowawayError::NoDocker)?;
    // Declared first, dropped last: after the container is registered.
    let _starting = Starting::new();
    let image = image.unwrap_or(DEFAULT_IMAGE).to_string();
    let (name, tag) = split_image(&image);
    let password = random_password();
    let failed = |reason: String| ThrowawayError::Container {
        image: image.clone(),
        reason: crate::db::redact(&reason),
    };
    let container = GenericImage::new(name, tag)
        .with_exposed_port(5432.tcp())
        .with_wait_for(WaitFor::message_on_stderr(
            "database system is ready to accept connections",
        ))
        .with_env_var("POSTGRES_USER", "postgres")
        .with_env_var("POSTGRES_PASSWORD", password.clone())
        .with_env_var("POSTGRES_DB", "postgres")
        .with_label("org.schemagate.throwaway", "true")
        .with_mount(Mount::tmpfs_mount("/var/lib/postgresql/data"))
        .with_cmd([
            "postgres",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
        ])
        .with_startup_timeout(Duration::from_secs(120))
        .start()
        .map_err(|e| failed(e.to_string()))?;
    let id = container.id().to_string();
    let on_signal = Cleanup::on_signal(move || force_remove(&id));
    let port = container
        .get_host_port_ipv4(5432)
        .map_err(|e| failed(e.to_string()))?;
    let host = container.get_host().map_err(|e| failed(e.to_string()))?;
    let url = format!("postgres://postgres:{password}@{host}:{port}/postgres");
    // Readiness is a successful query, not a log line.
    let mut client =
        crate::db::connect(&url, Duration::from_secs(60)).map_err(|e| failed(format!("{e}")))?;
    client
        .simple_query("SELECT 1")
        .map_err(|e| failed(e.to_string()))?;
    Ok(DockerServer {
        _on_signal: on_signal,
        container,
        image,
        url,
    })
}

fn random_password() -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(format!("{:?}", std::time::SystemTime::now()).as_bytes());
    hasher.update(format!("{:p}", &hasher).as_bytes());
    hasher
        .finalize()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names_split_at_the_tag() {
        assert_eq!(split_image("postgres:17"), ("postgres".into(), "17".into()));
        assert_eq!(
            split_image("postgres"),
            ("postgres".into(), "latest".into())
        );
        assert_eq!(
            split_image("reg:5000/pg"),
            ("reg:5000/pg".into(), "latest".into())
        );
        assert_eq!(
            split_image("schemagate-postgres:15"),
            ("schemagate-postgres".into(), "15".into())
        );
    }
}
