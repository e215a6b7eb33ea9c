//! Who sent a request: the peer's address, or, behind proxies we trust, the address the
//! nearest of them saw. The rate limit counts per client, so this must be an address the
//! client cannot choose.
//!
//! Each proxy appends the address it received the request from to `X-Forwarded-For`. Entries
//! left of the last untrusted hop were written by the client itself and prove nothing, so
//! the client is the **rightmost** entry that is not one of our proxies: never the leftmost,
//! which anyone can forge.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The proxies whose `X-Forwarded-For` is believed: addresses and networks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

/// A `--trusted-proxies` entry that is neither an IP address nor a CIDR network.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected comma-separated IP addresses or CIDR networks (10.0.0.0/8, ::1)")]
pub struct BadProxyList;

impl FromStr for TrustedProxies {
    type Err = BadProxyList;

    /// `10.0.0.1, 10.1.0.0/16, fd00::/8`; an empty list trusts nobody.
    fn from_str(list: &str) -> Result<Self, Self::Err> {
        let nets = list
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(|entry| match entry.parse::<IpNet>() {
                Ok(net) => Ok(net),
                Err(_) => entry
                    .parse::<IpAddr>()
                    .map(|ip| IpNet::from(canonical(ip)))
                    .map_err(|_| BadProxyList),
            })
            .collect::<Result<_, _>>()?;
        Ok(TrustedProxies(nets))
    }
}

impl fmt::Display for TrustedProxies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&list.join(","))
    }
}

impl TrustedProxies {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client of a request that came from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut nearest = canonical(peer);
        if !self.trusts(nearest) {
            return nearest;
        }
        // Several headers count as one list, in order (RFC 9110, 5.3); walk it from the right.
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .rev()
            .flat_map(|value| value.as_bytes().rsplit(|b| *b == b','));
        for hop in hops {
            match parse_hop(hop) {
                Some(ip) if self.trusts(ip) => nearest = ip,
                Some(ip) => return ip,
                // A trusted proxy wrote something that is not an address: nothing left of it
                // can be believed, so the request counts against the last hop we know.
                None => return nearest,
            }
        }
        nearest
    }
}

/// One `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5`, `[::1]:5`).
fn parse_hop(hop: &[u8]) -> Option<IpAddr> {
    let hop = std::str::from_utf8(hop).ok()?.trim();
    let ip = hop.parse::<IpAddr>().ok().or_else(|| {
        let host = match hop.strip_prefix('[') {
            Some(rest) => rest.split_once(']')?.0,
            None => hop.rsplit_once(':')?.0,
        };
        host.parse().ok()
    })?;
    Some(canonical(ip))
}

/// IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`, from dual-stack sockets) as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    ip.to_canonical()
}

/// What the rate limit counts by: an IPv4 address, or an IPv6 /64, since one subscriber
/// usually gets a whole /64 and could otherwise rotate through its addresses.
pub fn rate_key(client: IpAddr) -> IpAddr {
    match canonical(client) {
        IpAddr::V6(v6) => {
            let prefix = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(prefix))
        }
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_rightmost_hop_that_is_not_a_trusted_proxy() {
        let proxies: TrustedProxies = "10.0.0.0/8, 192.168.1.1".parse().unwrap();
        let cases: [(&str, &[&str], &str); 9] = [
            // A peer we don't trust is the client, whatever it claims.
            ("203.0.113.9", &["1.1.1.1"], "203.0.113.9"),
            ("192.168.1.1", &["198.51.100.7"], "198.51.100.7"),
            // The forged leftmost entry is ignored.
            ("10.0.0.2", &["6.6.6.6, 198.51.100.7"], "198.51.100.7"),
            (
                "10.0.0.2",
                &["6.6.6.6, 198.51.100.7, 10.0.0.3"],
                "198.51.100.7",
            ),
            // Several headers are one list.
            ("10.0.0.2", &["6.6.6.6", "198.51.100.7"], "198.51.100.7"),
            // Nothing but proxies: the farthest of them.
            ("10.0.0.2", &["10.0.0.4, 10.0.0.3"], "10.0.0.4"),
            ("10.0.0.2", &[], "10.0.0.2"),
            // Garbage written by a trusted proxy: the last hop we know.
            ("10.0.0.2", &["198.51.100.7, junk, 10.0.0.3"], "10.0.0.3"),
            (
                "10.0.0.2",
                &["[2001:db8::1]:443, 198.51.100.7:5000"],
                "198.51.100.7",
            ),
        ];
        for (peer, xff, client) in cases {
            let got = proxies.client(ip(peer), &forwarded(xff));
            assert_eq!(got, ip(client), "peer {peer}, X-Forwarded-For {xff:?}");
        }
    }

    #[test]
    fn mapped_ipv4_is_ipv4_and_ipv6_counts_by_its_64() {
        let proxies: TrustedProxies = "127.0.0.1".parse().unwrap();
        assert_eq!(
            proxies.client(ip("::ffff:127.0.0.1"), &forwarded(&["198.51.100.7"])),
            ip("198.51.100.7")
        );
        assert_eq!(rate_key(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(rate_key(ip("::ffff:198.51.100.7")), ip("198.51.100.7"));
    }

    #[test]
    fn proxy_lists_parse_or_are_refused() {
        assert!("".parse::<TrustedProxies>().unwrap().is_empty());
        let list: TrustedProxies = " 10.0.0.1 ,fd00::/8,".parse().unwrap();
        assert_eq!(list.to_string(), "10.0.0.1/32,fd00::/8");
        for bad in ["10.0.0.0/33", "proxy.internal", "10.0.0.1;10.0.0.2"] {
            assert_eq!(bad.parse::<TrustedProxies>(), Err(BadProxyList), "{bad}");
        }
    }
}
