//! OAuth 1.0a request signing (RFC 5849): the signature base string, HMAC-SHA1 / PLAINTEXT.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};

use super::{encode, form_pairs, required, text, Fresh, Message, Scheme, SignError};

/// Cloud Elements' configuration keys for OAuth 1.0a elements (Trello's export uses them).
pub const CONSUMER_KEY: &str = "oauth.api.key";
pub const CONSUMER_SECRET: &str = "oauth.api.secret";
pub const TOKEN: &str = "oauth.user.token";
pub const TOKEN_SECRET: &str = "oauth.user.token.secret";
/// `header` (the default) or `query`.
pub const PLACEMENT: &str = "oauth.request.authorization.type";
/// `HMAC-SHA1` (the default), `HMAC-SHA256` or `PLAINTEXT`.
pub const SIGNATURE_METHOD: &str = "oauth.signature.method";
/// An optional `realm` for the Authorization header (not signed, RFC 5849 §3.4.1.3.1).
pub const REALM: &str = "oauth.realm";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    HmacSha1,
    HmacSha256,
    Plaintext,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Method::HmacSha1 => "HMAC-SHA1",
            Method::HmacSha256 => "HMAC-SHA256",
            Method::Plaintext => "PLAINTEXT",
        }
    }
}

/// Where the protocol parameters travel (RFC 5849 §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Header,
    Query,
}

/// An instance's OAuth 1.0a credentials and choices.
#[derive(Debug, Clone)]
pub struct Keys {
    pub consumer_key: String,
    pub consumer_secret: String,
    /// Absent for two-legged calls: `oauth_token` is then left out.
    pub token: Option<String>,
    pub token_secret: String,
    pub method: Method,
    pub placement: Placement,
    pub realm: Option<String>,
}

impl Keys {
    pub fn from_configuration(configuration: &Map<String, Value>) -> Result<Keys, SignError> {
        let method = match text(configuration, SIGNATURE_METHOD) {
            None => Method::HmacSha1,
            Some(m) if m.eq_ignore_ascii_case("HMAC-SHA1") => Method::HmacSha1,
            Some(m) if m.eq_ignore_ascii_case("HMAC-SHA256") => Method::HmacSha256,
            Some(m) if m.eq_ignore_ascii_case("PLAINTEXT") => Method::Plaintext,
            Some(value) => {
                return Err(SignError::Invalid {
                    key: SIGNATURE_METHOD,
                    value,
                    expected: "use HMAC-SHA1, HMAC-SHA256 or PLAINTEXT",
                })
            }
        };
        let placement = match text(configuration, PLACEMENT) {
            Some(p) if p.eq_ignore_ascii_case("query") => Placement::Query,
            Some(p) if !p.eq_ignore_ascii_case("header") => {
                return Err(SignError::Invalid {
                    key: PLACEMENT,
                    value: p,
                    expected: "use header or query",
                })
            }
            _ => Placement::Header,
        };
        Ok(Keys {
            consumer_key: required(configuration, Scheme::OAuth1, CONSUMER_KEY)?,
            consumer_secret: required(configuration, Scheme::OAuth1, CONSUMER_SECRET)?,
            token: text(configuration, TOKEN),
            token_secret: text(configuration, TOKEN_SECRET).unwrap_or_default(),
            method,
            placement,
            realm: text(configuration, REALM),
        })
    }
}

/// Sign the request and put the protocol parameters where `keys.placement` says.
pub fn sign(keys: &Keys, message: &mut Message<'_>, fresh: &Fresh) -> Result<(), SignError> {
    let mut protocol = protocol_parameters(keys, fresh);
    let body = form_body(message);
    let base = base_string(message.method, message.url, body, &protocol)?;
    let signature = signature(keys, &base);
    protocol.push(("oauth_signature".into(), signature));
    match keys.placement {
        Placement::Header => {
            let value = authorization_header(keys.realm.as_deref(), &protocol);
            message.set_header("Authorization", value);
        }
        Placement::Query => {
            let query = protocol
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect::<Vec<_>>()
                .join("&");
            let (url, fragment) = split_fragment(message.url);
            let separator = match url.find('?') {
                Some(at) if at + 1 < url.len() => "&",
                Some(_) => "",
                None => "?",
            };
            *message.url = format!("{url}{separator}{query}{fragment}");
        }
    }
    Ok(())
}

/// The `oauth_*` parameters other than the signature, in the order RFC 5849's examples use.
pub fn protocol_parameters(keys: &Keys, fresh: &Fresh) -> Vec<(String, String)> {
    let mut parameters = vec![
        ("oauth_consumer_key".to_string(), keys.consumer_key.clone()),
        ("oauth_nonce".into(), fresh.nonce.clone()),
        ("oauth_signature_method".into(), keys.method.name().into()),
        ("oauth_timestamp".into(), fresh.seconds.to_string()),
    ];
    if let Some(token) = &keys.token {
        parameters.push(("oauth_token".into(), token.clone()));
    }
    parameters.push(("oauth_version".into(), "1.0".into()));
    parameters
}

/// The body's parameters take part only when the body is a single-part form (§3.4.1.3.1).
fn form_body<'m>(message: &'m Message<'_>) -> Option<&'m [u8]> {
    let content_type = message.header("content-type")?;
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence
        .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        .then_some(message.body)
}

/// The signature base string (§3.4.1): method, base string URI, normalized parameters.
pub fn base_string(
    method: &str,
    url: &str,
    form_body: Option<&[u8]>,
    protocol: &[(String, String)],
) -> Result<String, SignError> {
    let parsed = url::Url::parse(url).map_err(|_| SignError::BadUrl(url.to_string()))?;
    let mut parameters: Vec<(String, String)> = parsed
        .query()
        .map(|q| form_pairs(q.as_bytes()))
        .unwrap_or_default();
    parameters.extend(form_body.map(form_pairs).unwrap_or_default());
    // `realm` and the signature itself are never signed.
    parameters.extend(
        protocol
            .iter()
            .filter(|(k, _)| k != "realm" && k != "oauth_signature")
            .cloned(),
    );
    Ok(format!(
        "{}&{}&{}",
        encode(&method.to_ascii_uppercase()),
        encode(&base_uri(&parsed)?),
        encode(&normalize(&parameters))
    ))
}

/// §3.4.1.2: lower-case scheme and host, the port only when not the default, the path; no
/// query or fragment. `url` lower-cases and drops default ports when it parses.
fn base_uri(url: &url::Url) -> Result<String, SignError> {
    let host = url
        .host_str()
        .ok_or_else(|| SignError::BadUrl(url.to_string()))?;
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    Ok(format!("{}://{host}{port}{}", url.scheme(), url.path()))
}

/// §3.4.1.3.2: encode names and values, sort by name then value, join.
fn normalize(parameters: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = parameters
        .iter()
        .map(|(k, v)| (encode(k), encode(v)))
        .collect();
    encoded.sort();
    encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// §3.4.2–3.4.4: the key is the encoded consumer secret and token secret joined by `&`.
pub fn signature(keys: &Keys, base: &str) -> String {
    let key = format!(
        "{}&{}",
        encode(&keys.consumer_secret),
        encode(&keys.token_secret)
    );
    let engine = base64::engine::general_purpose::STANDARD;
    match keys.method {
        Method::Plaintext => key,
        Method::HmacSha1 => {
            // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
            let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes())
                .expect("HMAC accepts any key length");
            mac.update(base.as_bytes());
            engine.encode(mac.finalize().into_bytes())
        }
        Method::HmacSha256 => {
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes())
                .expect("HMAC accepts any key length");
            mac.update(base.as_bytes());
            engine.encode(mac.finalize().into_bytes())
        }
    }
}

/// §3.5.1: `OAuth name="value", ...` with encoded names and values.
fn authorization_header(realm: Option<&str>, protocol: &[(String, String)]) -> String {
    let realm = realm.map(|r| (String::from("realm"), r.to_string()));
    let fields = realm
        .iter()
        .chain(protocol.iter())
        .map(|(k, v)| format!("{}=\"{}\"", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join(", ");
    format!("OAuth {fields}")
}

fn split_fragment(url: &str) -> (&str, &str) {
    match url.find('#') {
        Some(at) => url.split_at(at),
        None => (url, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(key: &str, secret: &str, token: &str, token_secret: &str) -> Keys {
        Keys {
            consumer_key: key.into(),
            consumer_secret: secret.into(),
            token: Some(token.into()),
            token_secret: token_secret.into(),
            method: Method::HmacSha1,
            placement: Placement::Header,
            realm: None,
        }
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// RFC 5849 §3.1 / §3.4.1.1: the base string of its example request (query, form body,
    /// a repeated name, encoded `=` and `@`, an empty value). The RFC prints the signature
    /// "bYT5CMsGcbgUdFHObYMEfcx6bsw=", which errata 2550 corrects to the value below.
    #[test]
    fn rfc_5849_example_base_string_and_signature() {
        let protocol = pairs(&[
            ("realm", "Example"),
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
        ]);
        let base = base_string(
            "POST",
            "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
            Some(b"c2&a3=2+q"),
            &protocol,
        );
        let expected = "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
            %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9dj\
            dj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1\
            %26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7";
        assert_eq!(base.as_deref(), Ok(expected));
        let keys = keys("9djdj82h48djs9d2", "j49sk3j29djd", "", "dh893hdasih9");
        assert_eq!(signature(&keys, expected), "r6/TJjbCOr97/+UU0NsvSne7s5g=");
    }

    /// OAuth Core 1.0 Appendix A.5 (photos.example.net): the whole signing with the spec's
    /// nonce and timestamp, through `sign` and the Authorization header.
    #[test]
    fn oauth_core_appendix_a_signature() {
        let keys = keys(
            "dpf43f3p2l4k3l03",
            "kd94hf93k423kf44",
            "nnch734d00sl2jdk",
            "pfkkdhi9sl3r4s00",
        );
        let fresh = Fresh {
            nonce: "kllo9940pd9333jh".into(),
            seconds: 1191242096,
        };
        let mut url = "http://photos.example.net/photos?file=vacation.jpg&size=original".into();
        let mut headers = vec![];
        let mut message = Message {
            method: "GET",
            url: &mut url,
            headers: &mut headers,
            body: b"",
        };
        assert_eq!(sign(&keys, &mut message, &fresh), Ok(()));
        let header = message.header("authorization").unwrap_or_default();
        assert_eq!(
            header,
            "OAuth oauth_consumer_key=\"dpf43f3p2l4k3l03\", oauth_nonce=\"kllo9940pd9333jh\", \
             oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1191242096\", \
             oauth_token=\"nnch734d00sl2jdk\", oauth_version=\"1.0\", \
             oauth_signature=\"tR3%2BTy81lMeYAr%2FFid0kMTYa%2FWM%3D\""
        );
    }

    /// Twitter's "Creating a signature" documentation example: a form body with characters
    /// that §3.6 encodes and form encoding does not (`!`, `,`, `+`).
    #[test]
    fn twitter_docs_example() {
        let keys = keys(
            "xvz1evFS4wEEPTGEFPHBog",
            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
            "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
        );
        let fresh = Fresh {
            nonce: "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg".into(),
            seconds: 1318622958,
        };
        let body = "status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21";
        let base = base_string(
            "post",
            "https://api.twitter.com:443/1.1/statuses/update.json?include_entities=true",
            Some(body.as_bytes()),
            &protocol_parameters(&keys, &fresh),
        );
        let base = base.unwrap_or_default();
        assert!(base.starts_with(
            "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities"
        ));
        assert_eq!(signature(&keys, &base), "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    }

    #[test]
    fn query_placement_appends_the_signed_parameters() {
        let mut keys = keys("ck", "cs", "tk", "ts");
        keys.placement = Placement::Query;
        let fresh = Fresh {
            nonce: "n".into(),
            seconds: 1,
        };
        let mut url = "https://api.example.com/1/boards?fields=name%20x".into();
        let mut headers = vec![];
        let mut message = Message {
            method: "GET",
            url: &mut url,
            headers: &mut headers,
            body: b"",
        };
        assert_eq!(sign(&keys, &mut message, &fresh), Ok(()));
        assert!(headers.is_empty());
        assert!(url.starts_with(
            "https://api.example.com/1/boards?fields=name%20x&oauth_consumer_key=ck&oauth_nonce=n&"
        ));
        // The parameters in the URL are the ones signed: the base string of the request
        // without them, recomputed, gives the signature it carries.
        let protocol = protocol_parameters(&keys, &fresh);
        let base = base_string(
            "GET",
            "https://api.example.com/1/boards?fields=name%20x",
            None,
            &protocol,
        );
        let expected = signature(&keys, &base.unwrap_or_default());
        assert!(url.ends_with(&format!("&oauth_signature={}", encode(&expected))));
    }

    #[test]
    fn plaintext_is_the_key() {
        let mut keys = keys("ck", "c&s", "tk", "t s");
        keys.method = Method::Plaintext;
        assert_eq!(signature(&keys, "ignored"), "c%26s&t%20s");
    }
}
