//! Service packages (docs/domain.md §2, seed 000): what the academy sells, with the
//! limits a package's fields must respect.

string_enum! {
    /// Who a package is for.
    TargetAudience { Student => "student", Client => "client", Both => "both" }
}

string_enum! {
    /// The package list's tabs: packages on offer and packages withdrawn
    /// (`is_active`; packages are never deleted, BR-13).
    PackageStatus { Active => "active", Inactive => "inactive" }
}

impl PackageStatus {
    pub fn of(is_active: bool) -> PackageStatus {
        if is_active { PackageStatus::Active } else { PackageStatus::Inactive }
    }

    pub fn is_active(self) -> bool {
        self == PackageStatus::Active
    }
}

/// Longest name and slug, in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// Longest description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 5_000;
/// Most items in the features or deliverables list.
pub const MAX_LIST_ITEMS: usize = 30;
/// Longest feature or deliverable, in characters.
pub const MAX_ITEM_CHARS: usize = 200;
/// Longest duration: five years.
pub const MAX_DURATION_WEEKS: i64 = 260;

/// A list of features or deliverables as stored: items trimmed, blank ones dropped,
/// no item twice. `Err` says why the list is refused.
pub fn check_list(items: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let item = super::contact::clean(item);
        if item.is_empty() || out.contains(&item) {
            continue;
        }
        let n = item.chars().count();
        if n > MAX_ITEM_CHARS {
            return Err(format!("item {} is {n} characters long; the limit is {MAX_ITEM_CHARS}", out.len() + 1));
        }
        out.push(item);
    }
    if out.len() > MAX_LIST_ITEMS {
        return Err(format!("has {} items; the limit is {MAX_LIST_ITEMS}", out.len()));
    }
    Ok(out)
}

/// Items of a list typed one per line (the form's text area).
pub fn list_from_lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// A duration in weeks: none, or 1..=MAX_DURATION_WEEKS.
pub fn check_weeks(weeks: Option<i64>) -> Result<Option<i64>, String> {
    match weeks {
        Some(w) if !(1..=MAX_DURATION_WEEKS).contains(&w) => {
            Err(format!("must be between 1 and {MAX_DURATION_WEEKS} weeks (or empty)"))
        }
        w => Ok(w),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_trimmed_and_bounded() {
        let typed = list_from_lines(" Weekly call \n\n Roadmap\nWeekly call\n");
        assert_eq!(typed, vec!["Weekly call", "Roadmap", "Weekly call"]);
        assert_eq!(check_list(&typed).unwrap(), vec!["Weekly call", "Roadmap"]);
        let long = vec!["ok".to_string(), "x".repeat(MAX_ITEM_CHARS + 1)];
        assert_eq!(check_list(&long).unwrap_err(), "item 2 is 201 characters long; the limit is 200");
        let many: Vec<String> = (0..=MAX_LIST_ITEMS).map(|i| format!("item {i}")).collect();
        assert_eq!(check_list(&many).unwrap_err(), "has 31 items; the limit is 30");
    }

    #[test]
    fn weeks_and_status() {
        assert_eq!(check_weeks(None), Ok(None));
        assert_eq!(check_weeks(Some(6)), Ok(Some(6)));
        assert!(check_weeks(Some(0)).is_err() && check_weeks(Some(261)).is_err() && check_weeks(Some(-1)).is_err());
        assert!(PackageStatus::of(true).is_active() && !PackageStatus::of(false).is_active());
    }
}
