//! Post moderation (docs/domain.md §7) and the featured-testimonial limit.

use super::MoveRefused;
use super::lifecycle::check_transition;

string_enum! {
    PostStatus {
        Draft => "draft",
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Published => "published",
        Archived => "archived",
    }
}

string_enum! {
    PostType {
        Article => "article",
        SessionSummary => "session_summary",
        Tutorial => "tutorial",
        Announcement => "announcement",
        StudentBlog => "student_blog",
    }
}

string_enum! {
    TestimonialStatus { Pending => "pending", Approved => "approved", Rejected => "rejected" }
}

impl PostStatus {
    /// Allowed targets. `draft -> published` skips review and is only for staff and
    /// admin authors (`can_publish_directly`); it is recorded in the audit log like
    /// every move.
    pub fn allowed_moves(self, can_publish_directly: bool) -> Vec<PostStatus> {
        use PostStatus::*;
        match self {
            Draft if can_publish_directly => vec![Pending, Published],
            Draft => vec![Pending],
            Pending => vec![Approved, Rejected],
            Rejected => vec![Draft],
            Approved => vec![Published],
            Published => vec![Archived],
            Archived => vec![Draft],
        }
    }

    pub fn check_move(
        self,
        to: PostStatus,
        can_publish_directly: bool,
        rejection_reason: Option<&str>,
    ) -> Result<(), PostMoveError> {
        check_transition("a post", self, to, &self.allowed_moves(can_publish_directly))?;
        if to == PostStatus::Rejected && rejection_reason.map(str::trim).unwrap_or("").is_empty() {
            return Err(PostMoveError::ReasonRequired);
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostMoveError {
    #[error(transparent)]
    Refused(#[from] MoveRefused),
    #[error("rejecting a post needs a reason the author can act on")]
    ReasonRequired,
}

/// BR-03 analogue: may one more testimonial be featured, given how many already are?
pub fn may_feature(currently_featured: i64, limit: i64) -> bool {
    currently_featured < limit
}

#[cfg(test)]
mod tests {
    use super::PostStatus::*;
    use super::*;

    #[test]
    fn moderation_flow() {
        assert!(Draft.check_move(Pending, false, None).is_ok());
        assert!(Pending.check_move(Approved, false, None).is_ok());
        assert!(Approved.check_move(Published, false, None).is_ok());
        assert!(Published.check_move(Archived, false, None).is_ok());
        assert!(Archived.check_move(Draft, false, None).is_ok());
        assert!(Rejected.check_move(Draft, false, None).is_ok());
        assert!(Pending.check_move(Published, true, None).is_err(), "review cannot be skipped");
        assert!(Published.check_move(Draft, true, None).is_err());
    }

    #[test]
    fn direct_publish_is_for_staff_only() {
        let err = Draft.check_move(Published, false, None).unwrap_err();
        assert!(err.to_string().contains("allowed from draft: pending"), "{err}");
        assert!(Draft.check_move(Published, true, None).is_ok());
    }

    #[test]
    fn rejection_needs_a_reason() {
        assert_eq!(Pending.check_move(Rejected, true, Some(" ")), Err(PostMoveError::ReasonRequired));
        assert!(Pending.check_move(Rejected, true, Some("off-topic")).is_ok());
    }

    #[test]
    fn featured_limit() {
        assert!(may_feature(5, 6));
        assert!(!may_feature(6, 6));
    }
}
