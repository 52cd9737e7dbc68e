//! The fuzzy matcher the palette and the pick lists share, so typing finds a line
//! the same way in both.

/// Subsequence match, case-insensitive: `None` when `query` is not a subsequence of
/// `name`. Higher is better: a prefix, consecutive letters and word starts score more.
/// (Hand-written: a palette's or a pick list's few dozen lines do not need a
/// fuzzy-matching crate.)
pub fn fuzzy_score(query: &str, name: &str) -> Option<i64> {
    let q: Vec<char> = query.to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    let mut score = 0i64;
    let mut qi = 0;
    let mut prev: Option<usize> = None;
    for (i, c) in n.iter().enumerate() {
        if qi < q.len() && *c == q[qi] {
            score += 10;
            if i == 0 {
                score += 15;
            }
            if prev == Some(i.wrapping_sub(1)) {
                score += 8;
            }
            if i > 0 && matches!(n[i - 1], ' ' | '_' | '-') {
                score += 6;
            }
            prev = Some(i);
            qi += 1;
        }
    }
    (qi == q.len()).then_some(score - n.len() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy() {
        assert!(fuzzy_score("aud", "audit").is_some());
        assert!(fuzzy_score("adt", "audit").is_some());
        assert!(fuzzy_score("xyz", "audit").is_none());
        assert!(fuzzy_score("us", "users") > fuzzy_score("us", "dashboard_users"));
        assert_eq!(fuzzy_score("", "audit"), Some(-5));
    }
}
