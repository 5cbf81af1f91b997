//! Where a hook's outbound work goes: HTTP under the script's egress policy and email
//! through the server's SMTP settings, or canned answers in element test cases. The caller
//! hands a `Dispatcher` to each run.

use std::sync::Arc;

use futures_util::future::LocalBoxFuture;

use super::host::Outbound;
use super::Script;
use crate::mail::MailSettings;
use crate::parse::ParseConfig;
use crate::vendor::{HookRequest, HookResponse};

/// Outbound requests a hook may have in flight at once; more wait their turn (Parse Cloud
/// Code's documented limit of 8 concurrent `httpRequest`s per request).
pub(super) const MAX_IN_FLIGHT: usize = 8;

/// How a run's outbound work is done. The default sends HTTP for real and has no SMTP
/// server (sending email fails with a message saying so).
#[derive(Debug, Clone, Default)]
pub struct Dispatcher {
    mail: Option<Arc<MailSettings>>,
    mocks: Vec<MockedResponse>,
    services: Option<Provided>,
    /// Parse Config for `Parse.Config.get()`, and whether the script runs in a master context
    /// (master-key-only values are read with `useMasterKey` there only).
    config: Option<(Arc<ParseConfig>, bool)>,
}

/// What a web task reaches beyond HTTP and email (`kv`, `elements.call`), provided by the
/// layer that serves it: the hooks engine only carries the calls and their answers.
pub trait Services: Send + Sync {
    /// Do `op` with `args`; the answer resolves the script's promise, an error rejects it.
    fn call(
        &self,
        op: &str,
        args: serde_json::Value,
    ) -> LocalBoxFuture<'static, Result<serde_json::Value, String>>;
}

#[derive(Clone)]
struct Provided(Arc<dyn Services>);

impl std::fmt::Debug for Provided {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Services")
    }
}

/// A canned answer for a hook's outbound HTTP in test cases: requests whose method and URL
/// match are answered without any network.
#[derive(Debug, Clone)]
pub struct MockedResponse {
    /// `None` matches any method.
    pub method: Option<String>,
    /// The URL, exact, or a prefix when it ends with `*`.
    pub url: String,
    pub response: HookResponse,
}

impl MockedResponse {
    fn matches(&self, request: &HookRequest) -> bool {
        let method = self
            .method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(&request.method));
        let url = match self.url.strip_suffix('*') {
            Some(prefix) => request.url.starts_with(prefix),
            None => request.url == self.url,
        };
        method && url
    }
}

/// What finished outbound work hands back to the script.
pub(super) enum Delivered {
    Http(HookResponse),
    Email(String),
    /// A service's JSON answer.
    Value(serde_json::Value),
}

/// Finished work: its id and what it gave.
pub(super) type Completion = (u64, Result<Delivered, String>);

impl Dispatcher {
    /// The server's: real HTTP, email through `mail` (none: sending fails, saying so).
    pub fn real(mail: Option<Arc<MailSettings>>) -> Dispatcher {
        Dispatcher {
            mail,
            mocks: Vec::new(),
            services: None,
            config: None,
        }
    }

    /// This dispatcher answering `Parse.Config.get()` from `config`; `master`: the script
    /// runs in a master context (hooks, tasks, a cloud function called with the master key).
    pub fn with_parse_config(self, config: Arc<ParseConfig>, master: bool) -> Dispatcher {
        Dispatcher {
            config: Some((config, master)),
            ..self
        }
    }

    /// This dispatcher with `services` answering a task's `kv` and `elements.call`.
    pub fn with_services(self, services: Arc<dyn Services>) -> Dispatcher {
        Dispatcher {
            services: Some(Provided(services)),
            ..self
        }
    }

    /// Element test cases': HTTP answered from `mocks`, and a request no mock matches fails
    /// with a message naming it (cases must not reach the network). With no mocks at all,
    /// HTTP goes out as usual. No email.
    pub fn mocked(mocks: Vec<MockedResponse>) -> Dispatcher {
        Dispatcher {
            mail: None,
            mocks,
            services: None,
            config: None,
        }
    }

    /// Start one piece of outbound work. Email is spawned on its own, so a message a hook
    /// handed over is sent even when the hook finishes first.
    pub(super) fn launch(
        &self,
        script: &Script,
        id: u64,
        work: Outbound,
    ) -> LocalBoxFuture<'static, Completion> {
        match work {
            Outbound::Http(request) if !self.mocks.is_empty() => {
                let result = self.answer(&request);
                Box::pin(async move { (id, result.map(Delivered::Http)) })
            }
            Outbound::Http(request) => {
                let policy = script.egress.clone();
                Box::pin(async move {
                    let sent = crate::vendor::send_hook_request(&policy, request).await;
                    (id, sent.map(Delivered::Http))
                })
            }
            Outbound::Email(email) => self.send(script, id, email),
            Outbound::Service { op, args } if op == "parse.config" => {
                let answer = self.parse_config(&args);
                Box::pin(async move { (id, Ok(Delivered::Value(answer))) })
            }
            Outbound::Service { op, args } => match &self.services {
                Some(Provided(services)) => {
                    let answer = services.call(&op, args);
                    Box::pin(async move { (id, answer.await.map(Delivered::Value)) })
                }
                None => Box::pin(async move {
                    (
                        id,
                        Err(format!("{op} is only available in web tasks and jobs")),
                    )
                }),
            },
        }
    }

    /// `Parse.Config.get(options)`: the values the script may read (none without a config).
    fn parse_config(&self, args: &serde_json::Value) -> serde_json::Value {
        let asked = args.get("useMasterKey").and_then(|v| v.as_bool()) == Some(true);
        let values = match &self.config {
            Some((config, master)) => config.view(asked && *master),
            None => serde_json::Map::new(),
        };
        serde_json::Value::Object(values)
    }

    fn answer(&self, request: &HookRequest) -> Result<HookResponse, String> {
        self.mocks
            .iter()
            .find(|mock| mock.matches(request))
            .map(|mock| mock.response.clone())
            .ok_or_else(|| {
                format!(
                    "no mocked response for {} {} in this test case",
                    request.method, request.url
                )
            })
    }

    fn send(
        &self,
        script: &Script,
        id: u64,
        email: crate::mail::Email,
    ) -> LocalBoxFuture<'static, Completion> {
        let Some(settings) = self.mail.clone() else {
            return Box::pin(async move {
                (id, Err("email is not configured: start the server with --smtp-host (see README, Configuration)".to_string()))
            });
        };
        let label = script.label.clone();
        let sending = actix_rt::spawn(async move {
            let result = crate::mail::send(settings, email).await;
            if let Err(e) = &result {
                tracing::warn!(hook = %label, "email not sent: {e}");
            }
            result
        });
        Box::pin(async move {
            let result = sending
                .await
                .map_err(|e| format!("email task failed: {e}"))
                .and_then(|r| r);
            (id, result.map(Delivered::Email))
        })
    }
}

/// How traces and metrics name a piece of work: its kind and target.
pub(super) fn describe(work: &Outbound) -> (String, String) {
    match work {
        Outbound::Http(r) => ("http".into(), format!("{} {}", r.method, r.url)),
        Outbound::Email(e) => ("email".into(), e.to.join(", ")),
        Outbound::Service { op, .. } => ("service".into(), op.clone()),
    }
}
