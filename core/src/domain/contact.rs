//! Contact details: the BR-05 rule, email and phone validation and normalisation.
//! Normalised forms are what duplicate detection compares.

/// BR-05: a lead needs at least one way to reach them.
pub fn has_contact(email: Option<&str>, phone: Option<&str>, whatsapp: Option<&str>) -> bool {
    [email, phone, whatsapp].iter().any(|v| v.map(|s| !s.trim().is_empty()).unwrap_or(false))
}

/// Lower-cases and trims an email, and checks its shape (one `@`, a dotted domain,
/// no spaces or control characters). Not a full RFC 5322 parser: good enough to catch
/// typos at the keyboard without refusing real addresses.
pub fn normalize_email(raw: &str) -> Result<String, &'static str> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@').ok_or("an email needs an @")?;
    if local.is_empty() || domain.contains('@') {
        return Err("an email needs exactly one @ with a name before it");
    }
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err("an email's domain needs a dot, like example.com");
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("an email cannot contain spaces");
    }
    Ok(email)
}

/// The office's region for numbers written without their country code
/// (`display.phone_region`, set once when the configuration loads; EG until then,
/// as the default configuration says). `None`: such numbers stay as typed digits.
static PHONE_REGION: std::sync::RwLock<Option<phonenumber::country::Id>> =
    std::sync::RwLock::new(Some(phonenumber::country::Id::EG));

/// A region's two-letter code (`EG`, `US`, `GB`), or an empty text for none.
pub fn phone_region(code: &str) -> Result<Option<phonenumber::country::Id>, String> {
    let code = code.trim().to_ascii_uppercase();
    if code.is_empty() {
        return Ok(None);
    }
    code.parse().map(Some).map_err(|_| format!("'{code}' is not a region's two-letter code (e.g. EG, US, GB, AE)"))
}

/// Sets the region national numbers are read in (`display.phone_region`).
pub fn set_phone_region(region: Option<phonenumber::country::Id>) {
    if let Ok(mut r) = PHONE_REGION.write() {
        *r = region;
    }
}

/// Normalises a phone number to E.164 (`+201001234567`) with libphonenumber's
/// rules, reading a number without its country code in the office's region
/// (`display.phone_region`), so `010 1234 5678` and `+20 10 1234 5678` are one
/// number for duplicates, search and WhatsApp links. Arabic-Indic digits are
/// accepted, a leading `00` is `+`; spaces, dashes, dots and brackets are dropped.
/// A number needs 7 to 15 digits.
pub fn normalize_phone(raw: &str) -> Result<String, &'static str> {
    let region = PHONE_REGION.read().map(|r| *r).unwrap_or(None);
    normalize_phone_in(raw, region)
}

/// A whole number that libphonenumber's metadata holds valid, in E.164 (for search:
/// part of a number typed to find it is not one).
pub fn whole_phone(raw: &str) -> Option<String> {
    let e164 = normalize_phone(raw).ok().filter(|n| n.starts_with('+'))?;
    let n = phonenumber::parse(None, &e164).ok()?;
    phonenumber::is_valid(&n).then_some(e164)
}

/// `normalize_phone` in a given region (`None`: national numbers stay digits).
pub fn normalize_phone_in(raw: &str, region: Option<phonenumber::country::Id>) -> Result<String, &'static str> {
    let mut digits = String::new();
    let mut plus = false;
    for (i, c) in raw.trim().chars().enumerate() {
        match c {
            '+' if i == 0 => plus = true,
            ' ' | '-' | '.' | '(' | ')' | '\u{a0}' => {}
            _ => match ascii_digit(c) {
                Some(d) => digits.push(d),
                None => return Err("a phone number may hold only digits, spaces, - . ( ) and a leading +"),
            },
        }
    }
    if !plus && digits.starts_with("00") {
        digits.drain(..2);
        plus = true;
    }
    if !(7..=15).contains(&digits.len()) {
        return Err("a phone number needs 7 to 15 digits");
    }
    let (text, region) = match (plus, region) {
        (true, _) => (format!("+{digits}"), None),
        (false, Some(r)) => (digits.clone(), Some(r)),
        // No region to read it in: kept as typed digits.
        (false, None) => return Ok(digits),
    };
    match phonenumber::parse(region, &text) {
        Ok(n) => Ok(n.format().mode(phonenumber::Mode::E164).to_string()),
        Err(_) if plus => Err("not a phone number: check the country code after the +"),
        Err(_) => Err("not a phone number in the office's region (give it with its +country code)"),
    }
}

/// `text` with its Arabic-Indic and Eastern Arabic-Indic digits as ASCII digits,
/// everything else unchanged: what a number, a rating or a searched phone typed on
/// an Arabic keyboard means.
pub fn ascii_digits(text: &str) -> String {
    text.chars().map(|c| ascii_digit(c).unwrap_or(c)).collect()
}

/// ASCII, Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits as ASCII.
fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '\u{660}'..='\u{669}' => char::from_digit(c as u32 - 0x660, 10),
        '\u{6f0}'..='\u{6f9}' => char::from_digit(c as u32 - 0x6f0, 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn br05_needs_one_contact() {
        assert!(!has_contact(None, None, None));
        assert!(!has_contact(Some(" "), Some(""), None));
        assert!(has_contact(None, None, Some("+201001234567")));
        assert!(has_contact(Some("a@b.co"), None, None));
    }

    #[test]
    fn emails() {
        assert_eq!(normalize_email("  Sara@Example.COM ").unwrap(), "sara@example.com");
        for bad in ["sara", "@x.com", "a@b", "a b@c.com", "a@@b.com", "a@b.com."] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones() {
        use phonenumber::country::Id;
        let eg = Some(Id::EG);
        // One number, however it is written, in the office's region.
        for written in ["+20 100-123 4567", "0020 (100) 1234567", "010 0123 4567", "01001234567", "٠١٠٠١٢٣٤٥٦٧"]
        {
            assert_eq!(normalize_phone_in(written, eg).unwrap(), "+201001234567", "{written}");
        }
        // In another region, the national form is that region's number.
        assert_eq!(normalize_phone_in("(202) 555-0143", Some(Id::US)).unwrap(), "+12025550143");
        assert_eq!(normalize_phone_in("020 7946 0958", Some(Id::GB)).unwrap(), "+442079460958");
        // A number with its country code needs no region.
        assert_eq!(normalize_phone_in("+44 20 7946 0958", None).unwrap(), "+442079460958");
        // Without a region a national number stays as typed digits.
        assert_eq!(normalize_phone_in("010 0123 4567", None).unwrap(), "01001234567");
        assert!(normalize_phone_in("12345", eg).is_err());
        assert!(normalize_phone_in("call me", eg).is_err());
        assert!(normalize_phone_in("+1 555 0100 ext 4", eg).is_err());
        assert_eq!(phone_region(" eg ").unwrap(), eg);
        assert_eq!(phone_region("").unwrap(), None);
        assert!(phone_region("Egypt").unwrap_err().contains("two-letter"));
    }
}

/// Free text as both backends can store it: PostgreSQL refuses the NUL character in
/// text, so it is dropped everywhere (it is never meaningful in a name or a note).
pub fn storable(text: &str) -> String {
    text.replace('\0', "")
}

/// Typed text as stored: NUL dropped, then trimmed (in that order, so a trailing
/// NUL does not keep the blanks before it).
pub fn clean(text: &str) -> String {
    storable(text).trim().to_string()
}

#[cfg(test)]
mod storable_tests {
    #[test]
    fn nul_is_dropped() {
        assert_eq!(super::storable("a\0b"), "ab");
        assert_eq!(super::clean("  Amal \0"), "Amal");
    }
}
