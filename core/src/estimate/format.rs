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
    let mut out = go_g3(value);
    out.push_str(UNITS[unit]);
    out
}

/// `bytes` with a space before the unit (`353 MB`), for prose and the page.
/// Unlike Docker, a value that rounds up to 1000 moves to the next unit
/// (`1 GB`, not `1e+03 MB`): people read this text, not scripts.
pub fn human_size(bytes: u64) -> String {
    let (value, mut unit) = scaled(bytes);
    let mut out = if round3(value) == (100, 3) && unit + 1 < UNITS.len() {
        unit += 1;
        "1".to_string()
    } else {
        go_g3(value)
    };
    out.push(' ');
    out.push_str(UNITS[unit]);
    out
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

/// `value` with one decimal (`7.5`, `12.0`), rounded half away from zero;
/// negative and non-finite values print as `0.0`.
pub fn one_decimal(value: f64) -> String {
    let tenths = (value * 10.0).round();
    let tenths = if tenths.is_finite() && tenths > 0.0 {
        tenths as u64
    } else {
        0
    };
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Go's arithmetic: divide by 1000 (in `f64`) while the value is at least
/// 1000; returns the value and the index of its unit.
fn scaled(bytes: u64) -> (f64, usize) {
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    (value, unit)
}

/// Go's `%.3g` for a value from [`scaled`]: 0, or at least 1 and below 1000.
///
/// Written with integers rather than Rust's float formatting, which would
/// add ~15 KB of float-printing code to every wasm bundle for this one use.
fn go_g3(value: f64) -> String {
    if value < 1.0 {
        return "0".to_string();
    }
    let (digits, exponent) = round3(value);
    if exponent >= 3 {
        // Go switches to exponent form once the rounded value has a fourth
        // digit: 999.9 prints as `1e+03`.
        return format!("{}e+{exponent:02}", trimmed(digits, 2));
    }
    trimmed(digits, (2 - exponent) as u32)
}

/// Three significant digits of `value` (at least 1), rounded from its exact
/// binary value with ties to even, as Go's `strconv` rounds: returns the
/// digits (100..=999) and the decimal exponent of the first digit.
fn round3(value: f64) -> (u32, i32) {
    let bits = value.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let mantissa = u128::from((bits & ((1 << 52) - 1)) | (1 << 52));
    // value = mantissa × 2^power, with power < 0 for the values printed here.
    let power = biased - 1075;
    let exponent = i32::from(value >= 10.0) + i32::from(value >= 100.0);
    let digits = if power >= 0 {
        // Not reached: bytes fit in u64, so a scaled value is below 1000.
        1000
    } else {
        let shift = (-power).min(127) as u32;
        let scaled = mantissa * 10u128.pow(2 - exponent as u32);
        let (whole, rest) = (scaled >> shift, scaled & ((1u128 << shift) - 1));
        let half = 1u128 << (shift - 1);
        whole + u128::from(rest > half || (rest == half && whole % 2 == 1))
    };
    if digits >= 1000 {
        (100, exponent + 1)
    } else {
        (digits as u32, exponent)
    }
}

/// `digits` with `decimals` of them after the point, trailing zeros (and a
/// bare point) dropped: (207, 2) → `2.07`, (200, 2) → `2`, (250, 1) → `25`.
fn trimmed(digits: u32, decimals: u32) -> String {
    let mut out = digits.to_string();
    let decimals = decimals as usize;
    if decimals > 0 && decimals < out.len() {
        out.insert(out.len() - decimals, '.');
        let kept = out.trim_end_matches('0').trim_end_matches('.').len();
        out.truncate(kept);
    }
    out
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

    #[test]
    fn one_decimal_rounds_and_never_goes_negative() {
        assert_eq!(one_decimal(7.46), "7.5");
        assert_eq!(one_decimal(12.0), "12.0");
        assert_eq!(one_decimal(0.04), "0.0");
        assert_eq!(one_decimal(-3.0), "0.0");
        assert_eq!(one_decimal(f64::NAN), "0.0");
    }

    /// Go's `%.3g` through Rust's float formatting: what `go_g3` did before
    /// it was written with integers, kept as the oracle.
    fn float_g3(value: f64) -> String {
        if value == 0.0 {
            return "0".to_string();
        }
        let sci = format!("{value:.2e}");
        let (mantissa, exponent) = sci.split_once('e').unwrap();
        let exponent: i32 = exponent.parse().unwrap();
        let trim = |n: &str| -> String {
            if n.contains('.') {
                n.trim_end_matches('0').trim_end_matches('.').to_string()
            } else {
                n.to_string()
            }
        };
        if !(-4..3).contains(&exponent) {
            let sign = if exponent < 0 { '-' } else { '+' };
            return format!("{}e{sign}{:02}", trim(mantissa), exponent.abs());
        }
        let decimals = (2 - exponent).max(0) as usize;
        trim(&format!("{value:.decimals$}"))
    }

    fn agrees_with_float_formatting(bytes: u64) {
        let (value, unit) = scaled(bytes);
        assert_eq!(go_g3(value), float_g3(value), "{bytes} bytes");
        let old_human = if value >= 999.5 {
            format!("{} {}", float_g3(value / 1000.0), UNITS[unit + 1])
        } else {
            format!("{} {}", float_g3(value), UNITS[unit])
        };
        assert_eq!(human_size(bytes), old_human, "{bytes} bytes");
    }

    #[test]
    fn integer_rounding_agrees_on_ties_and_unit_edges() {
        for bytes in [
            0,
            1,
            9,
            10,
            99,
            100,
            999,
            1000,
            1005,
            1015,
            1025,
            1125,
            1135,
            2065,
            2075,
            2085,
            9995,
            9_999,
            10_005,
            99_950,
            99_949,
            99_951,
            999_499,
            999_500,
            999_501,
            999_999,
            1_000_000,
            2_065_000,
            2_075_000,
            353_800_000,
            999_500_000,
            999_499_999,
            u64::MAX,
        ] {
            agrees_with_float_formatting(bytes);
        }
    }

    proptest::proptest! {
        #[test]
        fn integer_rounding_agrees_with_float_formatting(bytes in proptest::num::u64::ANY) {
            agrees_with_float_formatting(bytes);
        }

        #[test]
        fn integer_rounding_agrees_on_four_digit_values(digits in 1000u64..10_000, unit in 0u32..6) {
            // Four significant digits: every tie of the three-digit rounding.
            agrees_with_float_formatting(digits * 10u64.pow(unit));
        }
    }
}
