//! TLS for connections, with libpq's `sslmode` meanings: `disable`,
//! `prefer` (the default: encrypt if the server offers it, verify nothing),
//! `require` (encrypt; with `sslrootcert`, verify the chain as `verify-ca`),
//! `verify-ca` (chain) and `verify-full` (chain and host name). The root
//! certificates come from `sslrootcert` (a PEM file, or `system`),
//! PGSSLROOTCERT, or as in libpq `~/.postgresql/root.crt` when it exists
//! (which also makes `require` verify the chain). A self-signed server
//! certificate listed among the roots is trusted as pinned, as OpenSSL
//! does, even when it is marked CA:TRUE.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn parse(text: &str) -> Option<SslMode> {
        Some(match text {
            "disable" => SslMode::Disable,
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }
}

/// What the connection string (or PGSSL* environment) asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsSettings {
    pub mode: SslMode,
    pub root_cert: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("unknown sslmode `{0}`: use disable, prefer, require, verify-ca or verify-full")]
    UnknownMode(String),
    #[error("cannot read root certificates from {path}: {reason}")]
    RootCert { path: String, reason: String },
    #[error("sslmode={0} needs root certificates: give sslrootcert=FILE (or sslrootcert=system)")]
    NoRoots(&'static str),
    #[error("TLS setup failed: {0}")]
    Setup(String),
}

impl TlsSettings {
    /// The client configuration, or `None` for `disable`.
    pub fn client_config(&self) -> Result<Option<ClientConfig>, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Setup(e.to_string()))?;
        let root_cert = self.root_cert.clone().or_else(default_root_cert);
        let mode = match (self.mode, &root_cert) {
            (SslMode::Require, Some(_)) => SslMode::VerifyCa,
            (mode, _) => mode,
        };
        let settings = TlsSettings { mode, root_cert };
        let config = match mode {
            SslMode::Disable => return Ok(None),
            SslMode::Prefer | SslMode::Require => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(AcceptAny(provider)))
                .with_no_client_auth(),
            SslMode::VerifyCa | SslMode::VerifyFull => {
                let (roots, pinned) = settings.roots(if mode == SslMode::VerifyCa {
                    "verify-ca"
                } else {
                    "verify-full"
                })?;
                let verifier =
                    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
                        .build()
                        .map_err(|e| TlsError::Setup(e.to_string()))?;
                let chain: Arc<dyn ServerCertVerifier> = if mode == SslMode::VerifyFull {
                    verifier
                } else {
                    Arc::new(ChainOnly(verifier))
                };
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(Pinned {
                        chain,
                        pinned,
                        check_name: mode == SslMode::VerifyFull,
                    }))
                    .with_no_client_auth()
            }
        };
        Ok(Some(config))
    }

    /// The trusted roots, and those of them given in a file (which may be
    /// pinned server certificates).
    fn roots(
        &self,
        mode: &'static str,
    ) -> Result<(RootCertStore, Vec<CertificateDer<'static>>), TlsError> {
        let mut roots = RootCertStore::empty();
        let mut pinned = Vec::new();
        let Some(path) = &self.root_cert else {
            return Err(TlsError::NoRoots(mode));
        };
        if path.as_os_str() == "system" {
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
        } else {
            let fail = |reason: String| TlsError::RootCert {
                path: path.display().to_string(),
                reason,
            };
            for cert in CertificateDer::pem_file_iter(path).map_err(|e| fail(e.to_string()))? {
                let cert = cert.map_err(|e| fail(e.to_string()))?;
                pinned.push(cert.clone());
                roots.add(cert).map_err(|e| fail(e.to_string()))?;
            }
        }
        if roots.is_empty() {
            return Err(TlsError::RootCert {
                path: path.display().to_string(),
                reason: "no certificates in it".into(),
            });
        }
        Ok((roots, pinned))
    }
}

/// libpq's default root file, `~/.postgresql/root.crt`, when it exists.
fn default_root_cert() -> Option<PathBuf> {
    let home = std::env::var_os("HOME")?;
    let path = PathBuf::from(home).join(".postgresql").join("root.crt");
    path.is_file().then_some(path)
}

/// The verify modes: a server certificate that is itself one of the roots
/// given (a pinned self-signed certificate, often CA:TRUE, which webpki
/// refuses as an end entity) is trusted if it is within its validity
/// period and, for `verify-full`, names the host (subjectAltName, or the
/// common name as libpq falls back to); anything else goes through `chain`.
#[derive(Debug)]
struct Pinned {
    chain: Arc<dyn ServerCertVerifier>,
    pinned: Vec<CertificateDer<'static>>,
    check_name: bool,
}

impl Pinned {
    fn verify_pinned(
        &self,
        end_entity: &CertificateDer<'_>,
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        use x509_cert::der::Decode;
        let bad = |e: CertificateError| rustls::Error::InvalidCertificate(e);
        let cert = x509_cert::Certificate::from_der(end_entity.as_ref())
            .map_err(|_| bad(CertificateError::BadEncoding))?;
        let validity = &cert.tbs_certificate.validity;
        let now_secs = now.as_secs();
        if validity.not_before.to_unix_duration().as_secs() > now_secs {
            return Err(bad(CertificateError::NotValidYet));
        }
        if validity.not_after.to_unix_duration().as_secs() < now_secs {
            return Err(bad(CertificateError::Expired));
        }
        if !self.check_name {
            return Ok(ServerCertVerified::assertion());
        }
        let by_san = webpki::EndEntityCert::try_from(end_entity)
            .is_ok_and(|ee| ee.verify_is_valid_for_subject_name(server_name).is_ok());
        let has_san = cert
            .tbs_certificate
            .extensions
            .iter()
            .flatten()
            .any(|x| x.extn_id.to_string() == "2.5.29.17");
        let host = server_name.to_str();
        let by_cn = !has_san
            && cert
                .tbs_certificate
                .subject
                .to_string()
                .split(',')
                .any(|part| {
                    part.trim()
                        .strip_prefix("CN=")
                        .is_some_and(|cn| cn.eq_ignore_ascii_case(&host))
                });
        if by_san || by_cn {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(bad(CertificateError::NotValidForName))
        }
    }
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if self
            .pinned
            .iter()
            .any(|p| p.as_ref() == end_entity.as_ref())
        {
            return self.verify_pinned(end_entity, server_name, now);
        }
        self.chain
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chain.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.chain.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.chain.supported_verify_schemes()
    }
}

/// `prefer` and `require` without roots: encrypted, not authenticated (as libpq).
#[derive(Debug)]
struct AcceptAny(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAny {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a trusted root; the name may differ.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}
