//! Connecting to PostgreSQL, and keeping passwords out of every message.

use std::str::FromStr;
use std::time::{Duration, Instant};

use postgres::{Client, Config, NoTls};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid connection string {url}: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("cannot connect to {url}")]
    Connect {
        url: String,
        #[source]
        source: postgres::Error,
    },
}

/// Opens a connection; retries refused connections with backoff for up to
/// `patience` (a server that is still starting), but not authentication or
/// other errors the server reports.
pub fn connect(url: &str, patience: Duration) -> Result<Client, DbError> {
    let config = parse(url)?;
    let deadline = Instant::now() + patience;
    let mut delay = Duration::from_millis(50);
    loop {
        match config.connect(NoTls) {
            Ok(client) => return Ok(client),
            Err(e) if e.as_db_error().is_none() && Instant::now() + delay < deadline => {
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_secs(1));
            }
            Err(source) => {
                return Err(DbError::Connect {
                    url: redact(url),
                    source,
                })
            }
        }
    }
}

/// Parses a URL or key-value connection string, with a redacted error.
pub fn parse(url: &str) -> Result<Config, DbError> {
    let mut config = Config::from_str(url).map_err(|e| DbError::InvalidUrl {
        url: redact(url),
        reason: redact(&e.to_string()),
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if config.get_application_name().is_none() {
        config.application_name("schemagate");
    }
    Ok(config)
}

/// Replaces the password in a connection URL (`postgres://u:PASS@h/db`,
/// `?password=PASS`) or key-value string (`password=PASS`) with `***`.
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    // URL userinfo: scheme://user:password@host
    if let Some(scheme_end) = out.find("://") {
        let rest_start = scheme_end + 3;
        let rest = &out[rest_start..];
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        if let Some(at) = rest[..authority_end].rfind('@') {
            if let Some(colon) = rest[..at].find(':') {
                out = format!(
                    "{}{}:***{}",
                    &out[..rest_start],
                    &rest[..colon],
                    &rest[at..]
                );
            }
        }
    }
    // password=... in a query string or key-value string.
    let mut result = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(pos) = find_password_key(rest) {
        let (head, tail) = rest.split_at(pos);
        result.push_str(head);
        result.push_str("password=***");
        let value = &tail["password=".len()..];
        let end = if let Some(quoted) = value.strip_prefix('\'') {
            // 'quoted value' with \' escapes
            let mut i = 0;
            let bytes = quoted.as_bytes();
            while i < bytes.len() && bytes[i] != b'\'' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            (i + 2).min(value.len())
        } else {
            value.find(['&', ' ']).unwrap_or(value.len())
        };
        rest = &value[end..];
    }
    result.push_str(rest);
    result
}

fn find_password_key(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("password=") {
        let at = from + i;
        let prev = lower[..at].chars().last();
        if prev.is_none() || matches!(prev, Some('?' | '&' | ' ')) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// A key-value connection string for the same server as `url`, with other
/// credentials and database (`None` keeps what `url` has).
pub fn conninfo_with(
    url: &str,
    user: Option<&str>,
    password: Option<&str>,
    dbname: Option<&str>,
) -> Result<String, DbError> {
    let config = parse(url)?;
    let value = |v: &str| format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"));
    let mut parts = Vec::new();
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    if !hosts.is_empty() {
        parts.push(format!("host={}", value(&hosts.join(","))));
    }
    let ports: Vec<String> = config.get_ports().iter().map(|p| p.to_string()).collect();
    if !ports.is_empty() {
        parts.push(format!("port={}", ports.join(",")));
    }
    if let Some(u) = user.or(config.get_user()) {
        parts.push(format!("user={}", value(u)));
    }
    let kept_password = config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    if let Some(p) = password.map(str::to_string).or(kept_password) {
        parts.push(format!("password={}", value(&p)));
    }
    if let Some(d) = dbname.or(config.get_dbname()) {
        parts.push(format!("dbname={}", value(d)));
    }
    Ok(parts.join(" "))
}

/// Quotes a string as a SQL literal.
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Quotes an identifier for SQL, always.
pub fn quote_ident_always(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conninfo_keeps_the_server_and_swaps_credentials() {
        let c = conninfo_with(
            "postgres://a:b@h:5433/db",
            Some("u"),
            Some("p'w"),
            Some("x"),
        )
        .unwrap();
        assert_eq!(c, "host='h' port=5433 user='u' password='p\\'w' dbname='x'");
        let c = conninfo_with(
            "host=/tmp/s port=5432 user=postgres dbname=postgres",
            None,
            None,
            Some("y"),
        )
        .unwrap();
        assert_eq!(c, "host='/tmp/s' port=5432 user='postgres' dbname='y'");
        assert!(parse(&c).is_ok());
    }

    #[test]
    fn passwords_are_redacted_in_every_spelling() {
        assert_eq!(
            redact("postgres://app:s3cr3t@db:5432/x"),
            "postgres://app:***@db:5432/x"
        );
        assert_eq!(redact("postgres://app@db/x"), "postgres://app@db/x");
        assert_eq!(
            redact("postgresql://u:p%40ss@h/db?sslmode=require&password=zz"),
            "postgresql://u:***@h/db?sslmode=require&password=***"
        );
        assert_eq!(
            redact("host=h user=u password=s3cr3t dbname=d"),
            "host=h user=u password=*** dbname=d"
        );
        assert_eq!(
            redact("host=h password='a b\\'c' dbname=d"),
            "host=h password=*** dbname=d"
        );
        assert!(!redact("postgres://u:a@b@h/db").contains("a@b"));
    }
}
