//! Calendar arithmetic for timestamps (UTC), Java-style date patterns for poller templates,
//! and lenient parsing of the date fields vendors send.

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// (year, month, day, hour, minute, second, millisecond) of `ms` since the epoch, UTC.
pub fn civil(ms: i64) -> (i64, i64, i64, i64, i64, i64, i64) {
    let seconds = ms.div_euclid(1000);
    let days = seconds.div_euclid(86_400);
    let rem = seconds.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        ms.rem_euclid(1000),
    )
}

/// Days since the epoch of a civil date (the inverse of `civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// ISO 8601 in UTC with milliseconds: `2026-11-24T01:02:03.004Z`.
pub fn iso(ms: i64) -> String {
    let (y, mo, d, h, mi, s, milli) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}Z")
}

/// Format `ms` (shifted by `offset_minutes` from UTC) with a Java `SimpleDateFormat`
/// pattern: y M d H h m s S a, `X`/`XX`/`XXX`/`Z` offsets, `'quoted'` text.
pub fn format(ms: i64, offset_minutes: i64, pattern: &str) -> String {
    let (y, mo, d, h, mi, s, milli) = civil(ms + offset_minutes * 60_000);
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            let mut j = i + 1;
            if chars.get(j) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            while j < chars.len() {
                if chars[j] == '\'' {
                    // Inside quotes, '' is one quote; a lone ' ends the quoted text.
                    if chars.get(j + 1) == Some(&'\'') {
                        out.push('\'');
                        j += 2;
                        continue;
                    }
                    break;
                }
                out.push(chars[j]);
                j += 1;
            }
            i = j + 1;
            continue;
        }
        let mut run = 1;
        while i + run < chars.len() && chars[i + run] == c {
            run += 1;
        }
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let (oh, om) = (offset_minutes.abs() / 60, offset_minutes.abs() % 60);
        match c {
            'y' if run == 2 => out.push_str(&format!("{:02}", y % 100)),
            'y' => out.push_str(&format!("{y:0run$}")),
            'M' => out.push_str(&format!("{mo:0run$}")),
            'd' => out.push_str(&format!("{d:0run$}")),
            'H' => out.push_str(&format!("{h:0run$}")),
            'h' => out.push_str(&format!("{:0run$}", if h % 12 == 0 { 12 } else { h % 12 })),
            'm' => out.push_str(&format!("{mi:0run$}")),
            's' => out.push_str(&format!("{s:0run$}")),
            'S' => out.push_str(&format!("{milli:03}")[..run.min(3)]),
            'a' => out.push_str(if h < 12 { "AM" } else { "PM" }),
            'X' if offset_minutes == 0 => out.push('Z'),
            'X' if run == 1 => out.push_str(&format!("{sign}{oh:02}")),
            'X' if run == 2 => out.push_str(&format!("{sign}{oh:02}{om:02}")),
            'X' => out.push_str(&format!("{sign}{oh:02}:{om:02}")),
            'Z' => out.push_str(&format!("{sign}{oh:02}{om:02}")),
            'z' => out.push_str(if offset_minutes == 0 { "UTC" } else { "GMT" }),
            other => {
                for _ in 0..run {
                    out.push(other);
                }
            }
        }
        i += run;
    }
    out
}

/// A UTC offset written `+05:30`, `-0800`, `+02`, `Z` or `UTC`, in minutes.
pub fn offset_minutes(zone: &str) -> Option<i64> {
    let zone = zone.trim();
    if zone.eq_ignore_ascii_case("Z")
        || zone.eq_ignore_ascii_case("UTC")
        || zone.eq_ignore_ascii_case("GMT")
    {
        return Some(0);
    }
    let sign = match zone.chars().next()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i64>().ok()?, 0),
        4 => (
            digits[..2].parse::<i64>().ok()?,
            digits[2..].parse::<i64>().ok()?,
        ),
        _ => return None,
    };
    Some(sign * (h * 60 + m))
}

/// Parse a vendor's date: ISO 8601 (`2026-11-24`, `…T01:02:03`, fractions, `Z` or an
/// offset; no offset means UTC) or epoch seconds / milliseconds (as a number or digits).
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        let n: i64 = text.parse().ok()?;
        return Some(if n > 100_000_000_000 { n } else { n * 1000 });
    }
    let number = |s: &str| s.parse::<i64>().ok();
    let year = number(text.get(0..4)?)?;
    if text.get(4..5)? != "-" || text.get(7..8)? != "-" {
        return None;
    }
    let (month, day) = (number(text.get(5..7)?)?, number(text.get(8..10)?)?);
    let mut ms = days_from_civil(year, month, day) * 86_400_000;
    let rest = text.get(10..).unwrap_or_default();
    if rest.is_empty() {
        return Some(ms);
    }
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    let (h, mi) = (number(rest.get(0..2)?)?, number(rest.get(3..5)?)?);
    let mut tail = rest.get(5..).unwrap_or_default();
    let mut s = 0;
    if let Some(after) = tail.strip_prefix(':') {
        s = number(after.get(0..2)?)?;
        tail = after.get(2..).unwrap_or_default();
    }
    ms += (h * 3600 + mi * 60 + s) * 1000;
    if let Some(after) = tail.strip_prefix('.').or_else(|| tail.strip_prefix(',')) {
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let millis: String = format!("{digits:0<3}").chars().take(3).collect();
        ms += number(&millis).unwrap_or(0);
        tail = &after[digits.len()..];
    }
    if !tail.is_empty() {
        ms -= offset_minutes(tail)? * 60_000;
    }
    Some(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_700_000_000_123; // 2023-11-14T22:13:20.123Z

    #[test]
    fn iso_and_civil() {
        assert_eq!(iso(T), "2023-11-14T22:13:20.123Z");
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn java_patterns() {
        assert_eq!(
            format(T, 0, "yyyy-MM-dd'T'HH:mm:ss'Z'"),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(
            format(T, 0, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"),
            "2023-11-14T22:13:20.123Z"
        );
        assert_eq!(
            format(T, 330, "yyyy-MM-dd HH:mm XXX"),
            "2023-11-15 03:43 +05:30"
        );
        assert_eq!(
            format(T, -480, "dd/MM/yy hh:mm a Z"),
            "14/11/23 02:13 PM -0800"
        );
        assert_eq!(format(T, 0, "'it''s' yyyy"), "it's 2023");
    }

    #[test]
    fn lenient_parsing() {
        assert_eq!(parse("2023-11-14T22:13:20.123Z"), Some(T));
        assert_eq!(parse("2023-11-14T23:13:20.123+01:00"), Some(T));
        assert_eq!(parse("2023-11-14 22:13:20"), Some(T - 123));
        assert_eq!(parse("2023-11-14"), Some(1_699_920_000_000));
        assert_eq!(parse("1700000000"), Some(1_700_000_000_000));
        assert_eq!(parse("1700000000123"), Some(T));
        assert_eq!(parse("yesterday"), None);
        assert_eq!(offset_minutes("-0800"), Some(-480));
    }
}
