//! Capacity math for cohorts (enrollments) and events (registrations, BR-08).

/// Seats left, never negative. `None` capacity means unlimited.
pub fn seats_left(capacity: Option<i64>, taken: i64) -> Option<i64> {
    capacity.map(|c| (c - taken).max(0))
}

/// May `extra` more seats be taken?
pub fn check(capacity: Option<i64>, taken: i64, extra: i64) -> Result<(), CapacityFull> {
    match capacity {
        Some(cap) if taken + extra > cap => Err(CapacityFull { capacity: cap, taken }),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("full: {taken} of {capacity} places are taken")]
pub struct CapacityFull {
    pub capacity: i64,
    pub taken: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacity() {
        assert_eq!(seats_left(Some(10), 7), Some(3));
        assert_eq!(seats_left(Some(10), 12), Some(0));
        assert_eq!(seats_left(None, 12), None);
        assert!(check(Some(2), 1, 1).is_ok());
        assert_eq!(check(Some(2), 2, 1), Err(CapacityFull { capacity: 2, taken: 2 }));
        assert!(check(None, 1000, 1).is_ok());
    }
}
