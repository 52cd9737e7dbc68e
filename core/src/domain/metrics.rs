//! Derived numbers: read time of a post, attendance rate of an enrollment.

/// Words read per minute used for `posts.read_time_minutes`.
pub const WORDS_PER_MINUTE: usize = 200;

/// Minutes to read a text, rounded up, at least 1.
pub fn read_time_minutes(text: &str) -> i64 {
    let words = text.split_whitespace().count();
    words.div_ceil(WORDS_PER_MINUTE).max(1) as i64
}

/// Attendance counts of one enrollment over its cohort's held sessions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttendanceCounts {
    /// Sessions of the cohort dated today or earlier and not cancelled.
    pub held: i64,
    pub present: i64,
    pub late: i64,
    pub excused: i64,
}

/// (present + late) / (held - excused), as a fraction 0..=1; `None` when no session
/// counts yet (nothing held, or every held session excused).
pub fn attendance_rate(c: AttendanceCounts) -> Option<f64> {
    let counted = c.held - c.excused;
    if counted <= 0 {
        return None;
    }
    Some(((c.present + c.late) as f64 / counted as f64).min(1.0))
}

/// Is the student under the threshold (percent, e.g. 75)? No rate yet: not flagged.
pub fn below_threshold(c: AttendanceCounts, threshold_percent: u8) -> bool {
    attendance_rate(c).is_some_and(|r| r * 100.0 < f64::from(threshold_percent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_time() {
        assert_eq!(read_time_minutes(""), 1);
        assert_eq!(read_time_minutes(&"word ".repeat(200)), 1);
        assert_eq!(read_time_minutes(&"word ".repeat(201)), 2);
        assert_eq!(read_time_minutes(&"كلمة ".repeat(1000)), 5);
    }

    #[test]
    fn attendance() {
        let c = AttendanceCounts { held: 10, present: 6, late: 1, excused: 2 };
        assert_eq!(attendance_rate(c), Some(7.0 / 8.0));
        assert!(!below_threshold(c, 75));
        let low = AttendanceCounts { held: 10, present: 5, late: 0, excused: 0 };
        assert!(below_threshold(low, 75));
        assert_eq!(attendance_rate(AttendanceCounts { held: 2, excused: 2, ..Default::default() }), None);
        assert!(!below_threshold(AttendanceCounts::default(), 75));
    }
}
