//! AWS Signature Version 4: canonical request, string to sign, the HMAC-SHA256 key chain.

use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{encode, form_pairs, required, text, Message, Scheme, SignError};

/// Configuration keys (no Cloud Elements export uses awsv4; these are elemental's names).
pub const ACCESS_KEY: &str = "aws.access.key";
pub const SECRET_KEY: &str = "aws.secret.key";
pub const REGION: &str = "aws.region";
pub const SERVICE: &str = "aws.service";
/// Temporary credentials (STS): sent as `X-Amz-Security-Token` and signed.
pub const SESSION_TOKEN: &str = "aws.session.token";

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// An instance's AWS credentials and where they are used.
#[derive(Debug, Clone)]
pub struct Keys {
    pub access_key: String,
    pub secret_key: String,
    pub region: String,
    pub service: String,
    pub session_token: Option<String>,
    /// Send and sign `x-amz-content-sha256`: S3 refuses requests without it.
    pub payload_header: bool,
}

impl Keys {
    pub fn from_configuration(configuration: &Map<String, Value>) -> Result<Keys, SignError> {
        let access_key = required(configuration, Scheme::AwsV4, ACCESS_KEY)?;
        let secret_key = required(configuration, Scheme::AwsV4, SECRET_KEY)?;
        let region = required(configuration, Scheme::AwsV4, REGION)?;
        let service = required(configuration, Scheme::AwsV4, SERVICE)?;
        Ok(Keys {
            access_key,
            secret_key,
            region,
            session_token: text(configuration, SESSION_TOKEN),
            payload_header: service == "s3",
            service,
        })
    }

    fn is_s3(&self) -> bool {
        self.service == "s3"
    }
}

/// Sign the request at `seconds` since the epoch: adds `X-Amz-Date` (and the session token,
/// the payload hash when asked), rewrites the query into its canonical form so what is sent is
/// exactly what was signed, and sets `Authorization`.
pub fn sign(keys: &Keys, message: &mut Message<'_>, seconds: i64) -> Result<(), SignError> {
    let url = url::Url::parse(message.url).map_err(|_| SignError::BadUrl(message.url.clone()))?;
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        (None, _) => return Err(SignError::BadUrl(message.url.clone())),
    };
    let (y, mo, d, h, mi, s, _) = crate::clock::civil(seconds.saturating_mul(1000));
    let date = format!("{y:04}{mo:02}{d:02}");
    let stamp = format!("{date}T{h:02}{mi:02}{s:02}Z");
    let payload = hex::encode(Sha256::digest(message.body));

    message.headers.retain(|(n, _)| {
        !n.eq_ignore_ascii_case("authorization") && !n.eq_ignore_ascii_case("x-amz-date")
    });
    message.set_header("X-Amz-Date", stamp.clone());
    if let Some(token) = &keys.session_token {
        message.set_header("X-Amz-Security-Token", token.clone());
    }
    if keys.payload_header {
        message.set_header("x-amz-content-sha256", payload.clone());
    }
    let query = canonical_query(url.query().unwrap_or_default());
    let mut path = canonical_path(url.path(), keys.is_s3());
    let mut headers: Vec<(String, String)> = message.headers.clone();
    if message.header("host").is_none() {
        headers.push(("host".into(), host));
    }
    let (canonical_headers, signed) = canonical_headers(&headers);
    if path.is_empty() {
        path.push('/');
    }
    let request = format!(
        "{}\n{path}\n{query}\n{canonical_headers}\n{signed}\n{payload}",
        message.method.to_ascii_uppercase()
    );
    let scope = format!("{date}/{}/{}/aws4_request", keys.region, keys.service);
    let to_sign = format!(
        "{ALGORITHM}\n{stamp}\n{scope}\n{}",
        hex::encode(Sha256::digest(request.as_bytes()))
    );
    let signature = hex::encode(hmac(&signing_key(keys, &date), to_sign.as_bytes()));
    message.set_header(
        "Authorization",
        format!(
            "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed}, Signature={signature}",
            keys.access_key
        ),
    );
    let mut sent = url;
    sent.set_query((!query.is_empty()).then_some(query.as_str()));
    *message.url = sent.to_string();
    Ok(())
}

/// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
pub fn signing_key(keys: &Keys, date: &str) -> Vec<u8> {
    let k_date = hmac(
        format!("AWS4{}", keys.secret_key).as_bytes(),
        date.as_bytes(),
    );
    let k_region = hmac(&k_date, keys.region.as_bytes());
    let k_service = hmac(&k_region, keys.service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The canonical URI. Other services see the path as sent, encoded once more ("each path
/// segment URI-encoded twice"), with empty segments removed; S3 signs the path as sent.
/// (Dot segments are already gone: `url` removes them when it parses.)
fn canonical_path(path: &str, s3: bool) -> String {
    if s3 {
        return path.to_string();
    }
    let mut out = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        out.push_str(&encode(segment));
    }
    if path.ends_with('/') || out.is_empty() {
        out.push('/');
    }
    out
}

/// The canonical query: each name and value decoded (as the pipeline form-encoded them),
/// encoded by `UriEncode`, sorted by name then value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = form_pairs(query.as_bytes())
        .iter()
        .map(|(k, v)| (encode(k), encode(v)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Canonical headers (lower-case names, values trimmed with inner runs of spaces made one,
/// repeated names joined by commas, sorted) and the signed header list.
fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
    let mut merged: Vec<(String, String)> = Vec::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        match merged.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(&value);
            }
            None => merged.push((name, value)),
        }
    }
    merged.sort_by(|a, b| a.0.cmp(&b.0));
    let canonical = merged
        .iter()
        .map(|(n, v)| format!("{n}:{v}\n"))
        .collect::<String>();
    let signed = merged
        .iter()
        .map(|(n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(";");
    (canonical, signed)
}

/// Vectors from AWS's SigV4 test suite, as published in the CRT suite
/// (https://github.com/awslabs/aws-c-auth/tree/v0.9.0/tests/aws-signing-test-suite, copied into
/// the aws-sigv4 crate 1.6.4's `aws-signing-test-suite/v4/`), Apache License 2.0, Copyright
/// Amazon.com, Inc. or its affiliates. Credentials AKIDEXAMPLE /
/// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 2015-08-30T12:36:00Z, us-east-1, service "service".
#[cfg(test)]
mod tests {
    use super::*;

    /// 2015-08-30T12:36:00Z.
    const AT: i64 = 1_440_938_160;

    fn keys(token: Option<&str>, payload_header: bool) -> Keys {
        Keys {
            access_key: "AKIDEXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            region: "us-east-1".into(),
            service: "service".into(),
            session_token: token.map(String::from),
            payload_header,
        }
    }

    /// Sign a suite request; returns the Authorization header and the URL sent.
    fn signed(
        keys: &Keys,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (String, String) {
        let mut url = url.to_string();
        let mut headers: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let mut message = Message {
            method,
            url: &mut url,
            headers: &mut headers,
            body: body.as_bytes(),
        };
        assert_eq!(sign(keys, &mut message, AT), Ok(()));
        let authorization = message
            .header("authorization")
            .unwrap_or_default()
            .to_string();
        (authorization, url)
    }

    fn expected(signed_headers: &str, signature: &str) -> String {
        format!("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signed_headers}, Signature={signature}")
    }

    #[test]
    fn get_vanilla() {
        let (authorization, _) = signed(
            &keys(None, false),
            "GET",
            "https://example.amazonaws.com/",
            &[],
            "",
        );
        assert_eq!(
            authorization,
            expected(
                "host;x-amz-date",
                "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
            )
        );
    }

    #[test]
    fn get_vanilla_query_order_key_case() {
        let (authorization, url) = signed(
            &keys(None, false),
            "GET",
            "https://example.amazonaws.com/?Param2=value2&Param1=value1",
            &[],
            "",
        );
        assert_eq!(
            authorization,
            expected(
                "host;x-amz-date",
                "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
            )
        );
        // The query is sent in the order it was signed.
        assert_eq!(
            url,
            "https://example.amazonaws.com/?Param1=value1&Param2=value2"
        );
    }

    #[test]
    fn post_vanilla_query() {
        let (authorization, _) = signed(
            &keys(None, false),
            "POST",
            "https://example.amazonaws.com/?Param1=value1",
            &[],
            "",
        );
        assert_eq!(
            authorization,
            expected(
                "host;x-amz-date",
                "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"
            )
        );
    }

    #[test]
    fn get_header_value_trim() {
        let headers = [("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")];
        let (authorization, _) = signed(
            &keys(None, false),
            "GET",
            "https://example.amazonaws.com/",
            &headers,
            "",
        );
        assert_eq!(
            authorization,
            expected(
                "host;my-header1;my-header2;x-amz-date",
                "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"
            )
        );
    }

    /// The suite signs this one with the payload hash header (`sign_body`), as S3 wants.
    #[test]
    fn post_x_www_form_urlencoded() {
        let headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Content-Length", "13"),
        ];
        let (authorization, _) = signed(
            &keys(None, true),
            "POST",
            "https://example.amazonaws.com/",
            &headers,
            "Param1=value1",
        );
        assert_eq!(
            authorization,
            expected(
                "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
                "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"
            )
        );
    }

    #[test]
    fn get_vanilla_with_session_token() {
        let token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
        let (authorization, _) = signed(
            &keys(Some(token), false),
            "GET",
            "https://example.amazonaws.com/",
            &[],
            "",
        );
        assert_eq!(
            authorization,
            expected(
                "host;x-amz-date;x-amz-security-token",
                "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"
            )
        );
    }

    /// The suite's `double-encode-path` and `get-slashes-normalized` canonical URIs.
    #[test]
    fn paths_are_encoded_again_except_for_s3() {
        assert_eq!(
            canonical_path("/test/@connections/JBDvjfGEIAMCERw%3D", false),
            "/test/%40connections/JBDvjfGEIAMCERw%253D"
        );
        assert_eq!(canonical_path("//example//", false), "/example/");
        assert_eq!(canonical_path("/a%20b", true), "/a%20b");
    }

    /// S3 wants the payload hash header and signs the path as sent.
    #[test]
    fn s3_gets_the_payload_hash_header() {
        let configuration = serde_json::json!({"aws.access.key": "AKIDEXAMPLE", "aws.secret.key": "k",
            "aws.region": "eu-west-1", "aws.service": "s3"});
        let Value::Object(configuration) = configuration else {
            panic!("object");
        };
        let keys = Keys::from_configuration(&configuration);
        let keys = keys.unwrap_or_else(|e| panic!("{e}"));
        assert!(keys.payload_header && keys.session_token.is_none());
        let mut url = "https://bucket.s3.eu-west-1.amazonaws.com/a%20b.txt".to_string();
        let mut headers = vec![];
        let mut message = Message {
            method: "PUT",
            url: &mut url,
            headers: &mut headers,
            body: b"hello",
        };
        assert_eq!(sign(&keys, &mut message, AT), Ok(()));
        assert_eq!(
            message.header("x-amz-content-sha256"),
            Some("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        );
        assert!(message
            .header("authorization")
            .is_some_and(|a| a.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,")));
    }

    /// The signing key example of AWS's documentation ("Examples of how to derive a signing
    /// key", secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam).
    #[test]
    fn signing_key_chain() {
        let mut keys = keys(None, false);
        keys.service = "iam".into();
        assert_eq!(
            hex::encode(signing_key(&keys, "20120215")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }
}
