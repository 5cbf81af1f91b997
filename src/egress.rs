//! The egress policy for hooks' outbound HTTP: which hosts, addresses and ports a hook may
//! reach. Checked on every resolved address and again on every redirect.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why a destination is refused; the message names the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("egress refused: {address} is a loopback address")]
    Loopback { address: IpAddr },
    #[error("egress refused: {address} is a private address")]
    Private { address: IpAddr },
    #[error("egress refused: {address} is a link-local address (cloud metadata lives here)")]
    LinkLocal { address: IpAddr },
    #[error("egress refused: {address} is not a routable unicast address")]
    Unroutable { address: IpAddr },
    #[error("egress refused: port {port} is not allowed (80, 443 and 1025-65535 are)")]
    Port { port: u16 },
    #[error("egress refused: host {host} is not on the allow-list")]
    NotListed { host: String },
    #[error("egress refused: scheme {scheme} is not allowed (http and https are)")]
    Scheme { scheme: String },
}

/// The policy of one element (or the server's default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Policy {
    /// Hosts opened explicitly (`--allow-host`, settings): their addresses are not checked,
    /// so local development and tests can reach loopback services. `*.example.com` matches
    /// subdomains.
    pub open_hosts: Vec<String>,
    /// When not empty, only these hosts may be reached at all (same syntax).
    pub only_hosts: Vec<String>,
}

fn host_matches(pattern: &str, host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(suffix) => host.ends_with(&format!(".{suffix}")),
        None => host == pattern,
    }
}

impl Policy {
    /// Whether `host` was opened explicitly (its addresses are then trusted).
    pub fn is_open(&self, host: &str) -> bool {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        self.open_hosts.iter().any(|p| host_matches(p, bare))
    }

    /// Check the parts known before resolving: scheme, port, allow-list.
    pub fn check_target(&self, scheme: &str, host: &str, port: u16) -> Result<(), Refusal> {
        if scheme != "http" && scheme != "https" {
            return Err(Refusal::Scheme {
                scheme: scheme.to_string(),
            });
        }
        let open = self.is_open(host);
        if !self.only_hosts.is_empty()
            && !open
            && !self.only_hosts.iter().any(|p| host_matches(p, host))
        {
            return Err(Refusal::NotListed {
                host: host.to_string(),
            });
        }
        if !(open || port == 80 || port == 443 || port >= 1025) {
            return Err(Refusal::Port { port });
        }
        Ok(())
    }

    /// Check one resolved address of `host`.
    pub fn check_address(&self, host: &str, address: IpAddr) -> Result<(), Refusal> {
        if self.is_open(host) {
            return Ok(());
        }
        classify(address)
    }
}

/// The address rules: only routable unicast addresses pass.
pub fn classify(address: IpAddr) -> Result<(), Refusal> {
    match address {
        IpAddr::V4(v4) => classify_v4(v4, address),
        IpAddr::V6(v6) => {
            // An IPv4-mapped or -compatible address is the IPv4 address in disguise.
            if let Some(v4) = v6.to_ipv4_mapped() {
                return classify_v4(v4, address);
            }
            classify_v6(v6, address)
        }
    }
}

fn classify_v4(v4: Ipv4Addr, address: IpAddr) -> Result<(), Refusal> {
    let [a, b, _, _] = v4.octets();
    if v4.is_loopback() {
        return Err(Refusal::Loopback { address });
    }
    if v4.is_private() || (a == 100 && (64..=127).contains(&b)) {
        // RFC 1918 and carrier-grade NAT (RFC 6598).
        return Err(Refusal::Private { address });
    }
    if v4.is_link_local() {
        return Err(Refusal::LinkLocal { address });
    }
    if v4.is_unspecified()
        || v4.is_broadcast()
        || v4.is_multicast()
        || v4.is_documentation()
        || a == 0
        || a >= 240
        || (a == 192 && b == 0 && v4.octets()[2] == 0)
        || (a == 198 && (b == 18 || b == 19))
    {
        return Err(Refusal::Unroutable { address });
    }
    Ok(())
}

fn classify_v6(v6: Ipv6Addr, address: IpAddr) -> Result<(), Refusal> {
    let first = v6.segments()[0];
    if v6.is_loopback() {
        return Err(Refusal::Loopback { address });
    }
    if (first & 0xfe00) == 0xfc00 {
        return Err(Refusal::Private { address }); // unique local fc00::/7
    }
    if (first & 0xffc0) == 0xfe80 {
        return Err(Refusal::LinkLocal { address });
    }
    if v6.is_unspecified()
        || v6.is_multicast()
        || (first == 0x2001 && v6.segments()[1] == 0x0db8)
        || first == 0x0064
    {
        // Unspecified, multicast, documentation, and NAT64 prefixes (which reach IPv4 inside).
        return Err(Refusal::Unroutable { address });
    }
    if let Some(v4) = v6.to_ipv4() {
        // The deprecated IPv4-compatible form ::a.b.c.d.
        return classify_v4(v4, address);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    }

    #[test]
    fn loopback_private_link_local_and_unspecified_are_refused() {
        for (address, rule) in [
            ("127.0.0.1", "loopback"),
            ("127.8.9.10", "loopback"),
            ("::1", "loopback"),
            ("::ffff:127.0.0.1", "loopback"),
            ("10.1.2.3", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("100.64.0.1", "private"),
            ("fd00::1", "private"),
            ("169.254.169.254", "link-local"),
            ("fe80::1", "link-local"),
            ("::ffff:169.254.169.254", "link-local"),
            ("0.0.0.0", "routable"),
            ("::", "routable"),
            ("255.255.255.255", "routable"),
            ("224.0.0.1", "routable"),
            ("64:ff9b::7f00:1", "routable"),
        ] {
            let refusal = classify(ip(address)).expect_err(address);
            assert!(refusal.to_string().contains(rule), "{address}: {refusal}");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for address in [
            "93.184.216.34",
            "8.8.8.8",
            "172.32.0.1",
            "2606:4700::1111",
            "::ffff:93.184.216.34",
        ] {
            assert_eq!(classify(ip(address)), Ok(()), "{address}");
        }
    }

    #[test]
    fn ports_schemes_and_lists() {
        let policy = Policy::default();
        assert_eq!(policy.check_target("https", "api.example.com", 443), Ok(()));
        assert_eq!(policy.check_target("http", "api.example.com", 8080), Ok(()));
        assert_eq!(
            policy.check_target("http", "api.example.com", 22),
            Err(Refusal::Port { port: 22 })
        );
        assert_eq!(
            policy.check_target("ftp", "api.example.com", 21),
            Err(Refusal::Scheme {
                scheme: "ftp".into()
            })
        );
        let listed = Policy {
            only_hosts: vec!["*.vendor.com".into()],
            ..Policy::default()
        };
        assert_eq!(listed.check_target("https", "api.vendor.com", 443), Ok(()));
        assert_eq!(
            listed.check_target("https", "vendor.com.evil.io", 443),
            Err(Refusal::NotListed {
                host: "vendor.com.evil.io".into()
            })
        );
    }

    #[test]
    fn opened_hosts_skip_the_address_rules() {
        let policy = Policy {
            open_hosts: vec!["127.0.0.1".into(), "localhost".into()],
            ..Policy::default()
        };
        assert_eq!(policy.check_address("127.0.0.1", ip("127.0.0.1")), Ok(()));
        assert_eq!(policy.check_address("localhost", ip("127.0.0.1")), Ok(()));
        assert_eq!(policy.check_target("http", "127.0.0.1", 22), Ok(()));
        assert!(policy
            .check_address("evil.example", ip("127.0.0.1"))
            .is_err());
    }
}
