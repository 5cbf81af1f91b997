//! Email from hooks (`notify.email`, `CE.sendEmail`): real SMTP through lettre.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TlsMode {
    /// Plain SMTP (a local relay).
    None,
    /// Upgrade with STARTTLS (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

#[derive(Debug, Clone)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender when a hook does not name one.
    pub from: String,
    pub timeout: Duration,
}

/// One message a hook asked to send.
#[derive(Debug, Clone, Default)]
pub struct Email {
    pub from: Option<String>,
    /// One or more addresses; each entry may itself be comma-separated.
    pub to: Vec<String>,
    pub subject: String,
    pub text: Option<String>,
    pub html: Option<String>,
}

/// Send one message; the answer is the server's reply text or what went wrong.
pub async fn send(settings: Arc<MailSettings>, email: Email) -> Result<String, String> {
    let from: Mailbox = email
        .from
        .as_deref()
        .unwrap_or(&settings.from)
        .parse()
        .map_err(|e| format!("invalid sender address: {e}"))?;
    let mut builder = Message::builder().from(from).subject(email.subject.clone());
    let recipients: Vec<&str> = email
        .to
        .iter()
        .flat_map(|t| t.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if recipients.is_empty() {
        return Err("no recipient: give `to`".into());
    }
    for recipient in recipients {
        let mailbox: Mailbox = recipient
            .parse()
            .map_err(|e| format!("invalid recipient {recipient:?}: {e}"))?;
        builder = builder.to(mailbox);
    }
    let message = match (&email.text, &email.html) {
        (Some(text), Some(html)) => builder.multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::plain(text.clone()))
                .singlepart(SinglePart::html(html.clone())),
        ),
        (None, Some(html)) => builder.header(ContentType::TEXT_HTML).body(html.clone()),
        (text, None) => builder
            .header(ContentType::TEXT_PLAIN)
            .body(text.clone().unwrap_or_default()),
    }
    .map_err(|e| format!("cannot build the message: {e}"))?;
    let transport = match settings.tls {
        TlsMode::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host),
        TlsMode::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
            .map_err(|e| e.to_string())?,
        TlsMode::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host)
            .map_err(|e| e.to_string())?,
    };
    let mut transport = transport
        .port(settings.port)
        .timeout(Some(settings.timeout));
    if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
        transport = transport.credentials(Credentials::new(user.clone(), password.clone()));
    }
    let response = transport
        .build()
        .send(message)
        .await
        .map_err(|e| format!("SMTP {}:{}: {e}", settings.host, settings.port))?;
    Ok(response.message().collect::<Vec<_>>().join(" "))
}
