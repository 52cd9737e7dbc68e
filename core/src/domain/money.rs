//! Money as integer minor units plus a currency (docs/domain.md conventions: never
//! floats). Parsing what a user types ("1,250.50") and formatting it back.

string_enum! {
    /// The currencies prices are kept in (seed 000's EGP + USD pair). Both have two
    /// decimal places.
    Currency { Egp => "EGP", Usd => "USD" }
}

/// The largest amount accepted: 999,999,999.99 (a bigger price is a typo).
pub const MAX_MINOR: i64 = 99_999_999_999;

/// An amount in minor units (piastres, cents) of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Money {
    pub currency: Currency,
    pub minor: i64,
}

impl Money {
    pub fn new(currency: Currency, minor: i64) -> Money {
        Money { currency, minor }
    }

    /// Parses typed text in `currency` (see `parse_minor`).
    pub fn parse(currency: Currency, text: &str) -> Result<Money, MoneyError> {
        parse_minor(text).map(|minor| Money { currency, minor })
    }

    /// The amount without the currency: `1,250.50`.
    pub fn amount(&self) -> String {
        format_minor(self.minor)
    }
}

/// `EGP 1,250.50`.
impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.currency, format_minor(self.minor))
    }
}

/// Why typed text is not an amount. Each reads after a field name ("price EGP: …").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("is empty")]
    Empty,
    #[error("cannot be negative")]
    Negative,
    #[error("has more than 2 decimals; amounts are kept to the piastre/cent")]
    TooManyDecimals,
    #[error("'{0}' is not an amount; type digits with an optional . and 2 decimals, e.g. 1,250.50")]
    NotAnAmount(String),
    #[error("puts a comma in the wrong place; commas only separate groups of three digits (1,250.50)")]
    Grouping,
    #[error("is too large; the most is 999,999,999.99")]
    TooLarge,
}

/// Parses an amount as typed: digits, optional thousands commas between groups of
/// three, optional `.` with one or two decimals: `1,250.50` -> 125050, `300` ->
/// 30000, `0.5` -> 50. Arabic-Indic digits and the Arabic decimal and thousands
/// separators (٫ ٬) are accepted. Refused: negatives, more than two decimals,
/// exponents and other text, misplaced commas (so a European `12,50` is not read as
/// 1250), and amounts above `MAX_MINOR`.
pub fn parse_minor(text: &str) -> Result<i64, MoneyError> {
    let raw = text.trim();
    if raw.is_empty() {
        return Err(MoneyError::Empty);
    }
    if raw.starts_with(['-', '\u{2212}']) {
        return Err(MoneyError::Negative);
    }
    let not_amount = || MoneyError::NotAnAmount(raw.to_string());
    // Normalise digits and separators to ASCII.
    let mut s = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '0'..='9' | '.' | ',' => s.push(c),
            '\u{660}'..='\u{669}' => s.push(char::from(b'0' + (c as u32 - 0x660) as u8)),
            '\u{6f0}'..='\u{6f9}' => s.push(char::from(b'0' + (c as u32 - 0x6f0) as u8)),
            '\u{66b}' => s.push('.'),
            '\u{66c}' => s.push(','),
            _ => return Err(not_amount()),
        }
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    if int.is_empty() || frac.is_some_and(|f| f.is_empty() || f.contains(['.', ','])) {
        return Err(not_amount());
    }
    let frac = frac.unwrap_or("");
    if frac.len() > 2 {
        return Err(MoneyError::TooManyDecimals);
    }
    if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(MoneyError::Grouping);
        }
    }
    let mut minor: i64 = 0;
    for d in int.bytes().filter(|b| *b != b',').chain(frac.bytes()).chain(std::iter::repeat_n(b'0', 2 - frac.len())) {
        minor = minor.checked_mul(10).and_then(|m| m.checked_add(i64::from(d - b'0'))).ok_or(MoneyError::TooLarge)?;
    }
    if minor > MAX_MINOR {
        return Err(MoneyError::TooLarge);
    }
    Ok(minor)
}

/// Formats minor units with thousands commas and two decimals: 125050 ->
/// `1,250.50`, 5 -> `0.05`, -12345 -> `-123.45`.
pub fn format_minor(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let (int, frac) = (abs / 100, abs % 100);
    let digits = int.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        for (text, minor) in [
            ("1,250.50", 125_050),
            ("1250.5", 125_050),
            ("  300 ", 30_000),
            ("0.05", 5),
            ("0", 0),
            ("007", 700),
            ("1,000,000", 100_000_000),
            ("999,999,999.99", MAX_MINOR),
            ("١٬٢٥٠٫٥٠", 125_050),
            ("۳۰۰", 30_000),
        ] {
            assert_eq!(parse_minor(text), Ok(minor), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        assert_eq!(parse_minor(""), Err(MoneyError::Empty));
        assert_eq!(parse_minor("-5"), Err(MoneyError::Negative));
        assert_eq!(parse_minor("−5.00"), Err(MoneyError::Negative));
        assert_eq!(parse_minor("1.005"), Err(MoneyError::TooManyDecimals), "a float-like third decimal");
        assert_eq!(parse_minor("0.125"), Err(MoneyError::TooManyDecimals));
        assert_eq!(parse_minor("12,50"), Err(MoneyError::Grouping), "a decimal comma is not a thousands comma");
        assert_eq!(parse_minor("1,2345"), Err(MoneyError::Grouping));
        assert_eq!(parse_minor(",250"), Err(MoneyError::Grouping));
        assert_eq!(parse_minor("1000,000"), Err(MoneyError::Grouping));
        assert_eq!(parse_minor("1,000.5,0"), Err(MoneyError::NotAnAmount("1,000.5,0".into())));
        for bad in ["1e3", "1.", ".5", "1..2", "1.2.3", "$5", "+5", "EGP 5", "five", "NaN", "inf", "5 00"] {
            assert!(matches!(parse_minor(bad), Err(MoneyError::NotAnAmount(_))), "{bad}");
        }
        assert_eq!(parse_minor("1,000,000,000"), Err(MoneyError::TooLarge));
        assert_eq!(parse_minor("99999999999999999999999999"), Err(MoneyError::TooLarge), "no overflow panic");
        assert_eq!(parse_minor(&"9".repeat(400)), Err(MoneyError::TooLarge));
    }

    #[test]
    fn formats_with_thousands_separators() {
        for (minor, text) in [
            (125_050, "1,250.50"),
            (5, "0.05"),
            (0, "0.00"),
            (100, "1.00"),
            (99_999, "999.99"),
            (100_000, "1,000.00"),
            (25_000_000, "250,000.00"),
            (MAX_MINOR, "999,999,999.99"),
            (-12_345, "-123.45"),
        ] {
            assert_eq!(format_minor(minor), text);
        }
        assert_eq!(format_minor(i64::MIN), "-92,233,720,368,547,758.08", "no overflow");
        assert_eq!(Money::new(Currency::Egp, 125_050).to_string(), "EGP 1,250.50");
    }

    #[test]
    fn format_and_parse_round_trip() {
        for minor in [0, 1, 99, 100, 101, 123_456, 1_000_000, 12_345_678_901, MAX_MINOR] {
            assert_eq!(parse_minor(&format_minor(minor)), Ok(minor));
        }
        let m = Money::parse(Currency::Usd, "80,000").unwrap();
        assert_eq!((m.currency, m.minor, m.amount()), (Currency::Usd, 8_000_000, "80,000.00".to_string()));
    }
}
