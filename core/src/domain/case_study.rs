//! Case studies (docs/domain.md §7, seed 000 projects): their status flow and
//! kinds. BR-04 (exactly one thumbnail among the media) is checked by the store
//! before publishing; at most one is enforced by a unique index.

crate::string_enum! {
    CaseStudyStatus { Draft => "draft", Published => "published", Archived => "archived" }
}

crate::string_enum! {
    ProjectType { Mvp => "mvp", Dashboard => "dashboard", Landing => "landing", UiUpgrade => "ui_upgrade", Other => "other" }
}

crate::string_enum! {
    ClientType { Student => "student", Business => "business", Personal => "personal", Internal => "internal" }
}

crate::string_enum! {
    MediaType { Image => "image", Video => "video", Gif => "gif" }
}

impl CaseStudyStatus {
    /// Allowed targets: a draft is published; a published one is archived or
    /// taken back to draft; an archived one goes back to draft.
    pub fn allowed_moves(self) -> &'static [CaseStudyStatus] {
        use CaseStudyStatus::*;
        match self {
            Draft => &[Published],
            Published => &[Archived, Draft],
            Archived => &[Draft],
        }
    }

    /// Whether `self -> to` is allowed, else the refusal naming the allowed moves.
    pub fn check_move(self, to: CaseStudyStatus) -> Result<(), String> {
        if self.allowed_moves().contains(&to) {
            return Ok(());
        }
        let allowed: Vec<&str> = self.allowed_moves().iter().map(|s| s.as_str()).collect();
        Err(format!("a {self} case study cannot become {to}; it can become {}", allowed.join(" or ")))
    }
}

/// BR-04: publishing needs exactly one thumbnail.
pub fn check_thumbnails(thumbnails: i64) -> Result<(), String> {
    match thumbnails {
        1 => Ok(()),
        0 => Err("a case study is published with exactly one thumbnail: it has none (m adds media)".into()),
        n => Err(format!("a case study is published with exactly one thumbnail: it has {n}")),
    }
}

#[cfg(test)]
mod tests {
    use super::CaseStudyStatus::*;
    use super::*;

    #[test]
    fn the_flow() {
        assert!(Draft.check_move(Published).is_ok());
        assert!(Published.check_move(Archived).is_ok());
        assert!(Archived.check_move(Draft).is_ok());
        let e = Draft.check_move(Archived).unwrap_err();
        assert_eq!(e, "a draft case study cannot become archived; it can become published");
        assert!(Archived.check_move(Published).is_err());
    }

    #[test]
    fn exactly_one_thumbnail() {
        assert!(check_thumbnails(1).is_ok());
        assert!(check_thumbnails(0).unwrap_err().contains("has none"));
        assert!(check_thumbnails(2).unwrap_err().contains("has 2"));
    }
}
