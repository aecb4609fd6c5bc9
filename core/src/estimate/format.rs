//! Sizes printed the way the Docker CLI prints them.
//!
//! `docker history` and `docker images` format sizes with go-units'
//! `HumanSizeWithPrecision(size, 3)`: divide by 1000 while the value is at
//! least 1000, then print with Go's `%.3g` and a decimal unit (`B`, `kB`,
//! `MB`, `GB`…) with no space. `%g` drops trailing zeros, so 2,000,000 bytes
//! print as `2MB`, and it switches to exponent form when rounding reaches a
//! fourth digit, so 999,999 bytes print as `1e+03kB` exactly as Docker does.

const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

/// `bytes` as Docker prints it: `353MB`, `2.07MB`, `622kB`, `72B`, `0B`.
pub fn docker_size(bytes: u64) -> String {
    let (value, unit) = scaled(bytes);
    format!("{}{unit}", go_g3(value))
}

/// `bytes` with a space before the unit (`353 MB`), for prose and the page.
/// Unlike Docker, a value that rounds up to 1000 moves to the next unit
/// (`1 GB`, not `1e+03 MB`): people read this text, not scripts.
pub fn human_size(bytes: u64) -> String {
    let (mut value, mut unit) = scaled(bytes);
    if value >= 999.5 {
        if let Some(next) = UNITS
            .iter()
            .position(|u| *u == unit)
            .and_then(|i| UNITS.get(i + 1))
        {
            value /= 1000.0;
            unit = next;
        }
    }
    format!("{} {unit}", go_g3(value))
}

/// A low–high range, e.g. `1.2MB–3.4MB`, or one size when both ends agree
/// to three digits.
pub fn docker_range(low: u64, high: u64) -> String {
    let (a, b) = (docker_size(low), docker_size(high));
    if a == b {
        a
    } else {
        format!("{a}–{b}")
    }
}

fn scaled(bytes: u64) -> (f64, &'static str) {
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    (value, UNITS[unit])
}

/// Go's `%.3g` for a non-negative finite value below 1000.
fn go_g3(value: f64) -> String {
    if value == 0.0 {
        return "0".to_string();
    }
    // Round to three significant digits first; the exponent of the rounded
    // value decides between fixed and exponent form, as in Go's strconv.
    let sci = format!("{value:.2e}");
    let Some((mantissa, exponent)) = sci.split_once('e') else {
        return sci;
    };
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..3).contains(&exponent) {
        let mantissa = trim_zeros(mantissa);
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    let decimals = (2 - exponent).max(0) as usize;
    trim_zeros(&format!("{value:.decimals$}")).to_string()
}

fn trim_zeros(number: &str) -> &str {
    if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_docker_history_output() {
        assert_eq!(docker_size(0), "0B");
        assert_eq!(docker_size(72), "72B");
        assert_eq!(docker_size(999), "999B");
        assert_eq!(docker_size(1000), "1kB");
        assert_eq!(docker_size(622_000), "622kB");
        assert_eq!(docker_size(621_501), "622kB");
        assert_eq!(docker_size(2_070_000), "2.07MB");
        assert_eq!(docker_size(2_000_000), "2MB");
        assert_eq!(docker_size(7_460_000), "7.46MB");
        assert_eq!(docker_size(342_000_000), "342MB");
        assert_eq!(docker_size(353_800_000), "354MB");
        assert_eq!(docker_size(1_250_000_000), "1.25GB");
        assert_eq!(docker_size(10_500_000), "10.5MB");
        assert_eq!(docker_size(32), "32B");
    }

    #[test]
    fn keeps_gos_exponent_quirk() {
        // 999.999 kB rounds to 1.00e3 with three significant digits; Go's %g
        // then prints exponent form and so does `docker history`.
        assert_eq!(docker_size(999_999), "1e+03kB");
    }

    #[test]
    fn ranges_and_prose() {
        assert_eq!(human_size(353_000_000), "353 MB");
        assert_eq!(human_size(999_999_999), "1 GB");
        assert_eq!(human_size(999_400_000), "999 MB");
        assert_eq!(docker_range(1_000_000, 3_400_000), "1MB–3.4MB");
        assert_eq!(docker_range(72, 72), "72B");
        assert_eq!(docker_size(u64::MAX), "18.4EB");
    }
}
