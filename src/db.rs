//! Connecting to PostgreSQL, and keeping passwords out of every message.

use std::str::FromStr;
use std::time::{Duration, Instant};

use postgres::{Client, Config, NoTls};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::tls::{SslMode, TlsError, TlsSettings};

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
    #[error(transparent)]
    Tls(#[from] TlsError),
}

/// Opens a connection; retries refused connections with backoff for up to
/// `patience` (a server that is still starting), but not authentication or
/// other errors the server reports.
pub fn connect(url: &str, patience: Duration) -> Result<Client, DbError> {
    let target = resolve(url)?;
    let tls = target.tls.client_config()?;
    let config = target.config;
    let deadline = Instant::now() + patience;
    let mut delay = Duration::from_millis(50);
    loop {
        let attempt = match &tls {
            None => config.connect(NoTls),
            Some(tls) => config.connect(MakeRustlsConnect::new(tls.clone())),
        };
        match attempt {
            Ok(client) => return Ok(client),
            Err(e) if e.as_db_error().is_none() && Instant::now() + delay < deadline => {
                std::thread::sleep(delay);
                delay = (delay * 2).min(Duration::from_secs(1));
            }
            Err(source) => {
                return Err(DbError::Connect {
                    url: describe(url),
                    source,
                })
            }
        }
    }
}

/// Whether libpq-style PG* variables name a database.
pub fn pg_env_present() -> bool {
    ["PGHOST", "PGDATABASE", "PGUSER", "PGPORT"]
        .iter()
        .any(|k| std::env::var(k).is_ok_and(|v| !v.is_empty()))
}

/// The connection string for messages: redacted, or where it came from.
pub fn describe(url: &str) -> String {
    if url.trim().is_empty() {
        let host = std::env::var("PGHOST").unwrap_or_else(|_| "localhost".into());
        let db = std::env::var("PGDATABASE").unwrap_or_default();
        format!("{host}/{db} (from PG* environment)")
    } else {
        redact(url)
    }
}

/// A connection string resolved: the client configuration and TLS settings.
pub struct ConnSettings {
    pub config: Config,
    pub tls: TlsSettings,
}

/// Parses a URL or key-value connection string, with a redacted error.
pub fn parse(url: &str) -> Result<Config, DbError> {
    resolve(url).map(|t| t.config)
}

/// Parses a connection string as libpq would read it: `sslmode` and
/// `sslrootcert` (which the client library does not know) are taken out and
/// handled by `tls`, and what the string leaves unsaid comes from PGHOST,
/// PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE and PGSSLROOTCERT.
pub fn resolve(url: &str) -> Result<ConnSettings, DbError> {
    let invalid = |reason: String| DbError::InvalidUrl {
        url: redact(url),
        reason: redact(&reason),
    };
    let (rest, sslmode, root_cert) = take_tls_params(url);
    let mut config = Config::from_str(&rest).map_err(|e| invalid(e.to_string()))?;
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if config.get_hosts().is_empty() {
        let host = env("PGHOST").unwrap_or_else(|| {
            if std::path::Path::new("/var/run/postgresql").is_dir() {
                "/var/run/postgresql".into()
            } else {
                "localhost".into()
            }
        });
        for h in host.split(',') {
            config.host(h);
        }
    }
    if config.get_ports().is_empty() {
        if let Some(port) = env("PGPORT") {
            config.port(
                port.parse()
                    .map_err(|_| invalid(format!("PGPORT `{port}` is not a port")))?,
            );
        }
    }
    if config.get_user().is_none() {
        if let Some(user) = env("PGUSER").or_else(|| env("USER")) {
            config.user(&user);
        }
    }
    if config.get_password().is_none() {
        if let Some(password) = env("PGPASSWORD") {
            config.password(password);
        }
    }
    if let Some(password) = config.get_password() {
        register_secret(&String::from_utf8_lossy(password));
    }
    if config.get_dbname().is_none() {
        if let Some(db) = env("PGDATABASE") {
            config.dbname(&db);
        }
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if config.get_application_name().is_none() {
        config.application_name("schemagate");
    }
    let mode_text = sslmode
        .or_else(|| env("PGSSLMODE"))
        .unwrap_or_else(|| "prefer".into());
    let mode = SslMode::parse(&mode_text).ok_or(TlsError::UnknownMode(mode_text))?;
    config.ssl_mode(match mode {
        SslMode::Disable => postgres::config::SslMode::Disable,
        SslMode::Prefer => postgres::config::SslMode::Prefer,
        _ => postgres::config::SslMode::Require,
    });
    let root_cert = root_cert
        .or_else(|| env("PGSSLROOTCERT"))
        .map(std::path::PathBuf::from);
    Ok(ConnSettings {
        config,
        tls: TlsSettings { mode, root_cert },
    })
}

/// Removes `sslmode` and `sslrootcert` from a URL query or key-value string.
fn take_tls_params(url: &str) -> (String, Option<String>, Option<String>) {
    let mut sslmode = None;
    let mut root = None;
    if url.contains("://") {
        let Some((base, query)) = url.split_once('?') else {
            return (url.to_string(), None, None);
        };
        let mut kept = Vec::new();
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("sslmode", v)) => sslmode = Some(percent_decode(v)),
                Some(("sslrootcert", v)) => root = Some(percent_decode(v)),
                _ => kept.push(pair),
            }
        }
        let rest = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        return (rest, sslmode, root);
    }
    let mut kept = Vec::new();
    for (key, value) in key_values(url) {
        match key.as_str() {
            "sslmode" => sslmode = Some(value),
            "sslrootcert" => root = Some(value),
            _ => kept.push(format!(
                "{key}='{}'",
                value.replace('\\', "\\\\").replace('\'', "\\'")
            )),
        }
    }
    (kept.join(" "), sslmode, root)
}

/// Splits a libpq key-value string into pairs (values may be 'quoted').
fn key_values(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        if key.is_empty() {
            break;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek() != Some(&'=') {
            out.push((key, String::new()));
            continue;
        }
        chars.next();
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        if let Some(n) = chars.next() {
                            value.push(n);
                        }
                    }
                    '\'' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        out.push((key, value));
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Secrets this process knows (passwords parsed from connection strings,
/// generated role passwords): removed from every message whatever its
/// spelling, including output of external tools.
static SECRETS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Remembers a secret so that [`redact`] removes it wherever it appears
/// (also in its percent-encoded spelling). Very short values are not
/// registered: replacing every `a` in a message would hide everything else.
pub fn register_secret(secret: &str) {
    if secret.chars().count() < 4 {
        return;
    }
    let mut secrets = SECRETS.lock().unwrap_or_else(|e| e.into_inner());
    for spelling in [secret.to_string(), percent_encode(secret)] {
        if !secrets.contains(&spelling) {
            secrets.push(spelling);
        }
    }
    // Longest first, so that a secret containing another is removed whole.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The one redaction every message goes through: removes the password from
/// connection URLs (`postgres://u:PASS@h/db`, also when PASS holds an
/// unencoded `/`, `?`, `@` or `%`), from `password=PASS` in query strings and
/// key-value strings (any spacing around `=`, tabs, quoted values, and keys
/// such as `sslpassword` or `PGPASSWORD`), and every registered secret.
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    {
        let secrets = SECRETS.lock().unwrap_or_else(|e| e.into_inner());
        for secret in secrets.iter() {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), "***");
            }
        }
    }
    redact_key_values(&redact_urls(&out))
}

/// `scheme://user:PASS@host…` → `scheme://user:***@host…`. A password may
/// hold any character libpq accepts unencoded, so the user information ends
/// at the last `@` of the whitespace-delimited token: that hides too much
/// when a query value holds an `@`, never too little.
fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find("://") {
        let token_start = pos + 3;
        out.push_str(&rest[..token_start]);
        let after = &rest[token_start..];
        let token_len = after
            .find(|c: char| c.is_whitespace())
            .unwrap_or(after.len());
        let token = &after[..token_len];
        match token.rfind('@') {
            Some(at) if token[..at].contains(':') => {
                let colon = token[..at].find(':').unwrap_or(at);
                out.push_str(&token[..colon]);
                out.push_str(":***");
                out.push_str(&token[at..]);
            }
            _ => out.push_str(token),
        }
        rest = &after[token_len..];
    }
    out.push_str(rest);
    out
}

/// `…password = 'PASS'…` → `…password=***…` wherever a key ending in
/// `password` is followed by `=`.
fn redact_key_values(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(i) = lower[from..].find("password") {
        let key_end = from + i + "password".len();
        let mut j = key_end;
        while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
            j += 1;
        }
        if j >= bytes.len() || bytes[j] != b'=' {
            from = key_end;
            continue;
        }
        j += 1;
        while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
            j += 1;
        }
        let value_end = if bytes.get(j) == Some(&b'\'') {
            let mut k = j + 1;
            while k < bytes.len() && bytes[k] != b'\'' {
                k += if bytes[k] == b'\\' { 2 } else { 1 };
            }
            (k + 1).min(bytes.len())
        } else {
            let mut k = j;
            while k < bytes.len() && !bytes[k].is_ascii_whitespace() && bytes[k] != b'&' {
                k += 1;
            }
            k
        };
        out.push_str(&text[copied..key_end]);
        out.push_str("=***");
        copied = value_end;
        from = value_end.max(key_end);
    }
    out.push_str(&text[copied..]);
    out
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
    fn tls_parameters_are_taken_out_of_urls_and_key_values() {
        let (rest, mode, root) = take_tls_params(
            "postgres://u@h/db?sslmode=verify-full&sslrootcert=%2Ftmp%2Fca.pem&application_name=x",
        );
        assert_eq!(rest, "postgres://u@h/db?application_name=x");
        assert_eq!(mode.as_deref(), Some("verify-full"));
        assert_eq!(root.as_deref(), Some("/tmp/ca.pem"));
        let (rest, mode, root) =
            take_tls_params("host=h sslmode=require password='a b' sslrootcert=/x.pem");
        assert_eq!(rest, "host='h' password='a b'");
        assert_eq!(
            (mode.as_deref(), root.as_deref()),
            (Some("require"), Some("/x.pem"))
        );
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

    /// Issue 15, item 2: spellings libpq accepts that were printed in full
    /// or in part.
    #[test]
    fn passwords_are_redacted_in_unusual_spellings() {
        let cases = [
            ("host=127.0.0.1 password = 'SECRET' dbname=nosuch", "SECRET"),
            ("host=127.0.0.1\tpassword=SECRET dbname=nosuch", "SECRET"),
            ("host=h password\t=\tSECRET", "SECRET"),
            ("host=h PASSWORD='SEC RET' dbname=x", "SEC"),
            ("postgres://u:abc?xyzzy@host/db", "xyzzy"),
            ("postgres://u:p@W0rd%25/xyzzy@host/db", "xyzzy"),
            ("postgres://u:p@W0rd%25/xyzzy@host/db", "W0rd"),
            ("postgres://u:a/b/SECRET@host/db", "SECRET"),
            (
                "cannot connect to `postgres://u:SE/CR?ET@h:1/d`: refused",
                "CR?ET",
            ),
            (
                "postgres://h/db?sslmode=require&password=SECRET&x=1",
                "SECRET",
            ),
            ("PGPASSWORD=SECRET psql", "SECRET"),
        ];
        for (text, secret) in cases {
            let shown = redact(text);
            assert!(!shown.contains(secret), "{text:?} -> {shown:?}");
        }
        assert_eq!(
            redact("host=h password = 'x y' dbname=d"),
            "host=h password=*** dbname=d"
        );
        assert_eq!(
            redact("postgres://u:abc?xyzzy@host/db"),
            "postgres://u:***@host/db"
        );
        register_secret("Registered-Secret/1");
        assert_eq!(redact("echo Registered-Secret/1"), "echo ***");
        assert_eq!(redact("x Registered-Secret%2F1"), "x ***");
    }
}
