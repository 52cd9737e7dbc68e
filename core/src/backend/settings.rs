//! What the worker takes from the configuration.

use crate::store::users::LoginPolicy;

/// Settings the worker needs from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub login: LoginPolicy,
    /// Started by `staffroom demo`: demo accounts may log in without a password.
    pub demo: bool,
    pub attendance_threshold_percent: u8,
    /// `rules.featured_testimonials_limit`.
    pub featured_limit: i64,
    /// `rules.featured_case_studies_limit`.
    pub featured_case_studies_limit: i64,
    /// `audit.viewers_read`.
    pub audit_viewers_read: bool,
    /// The office's zone, for times written into replies.
    pub tz: chrono_tz::Tz,
}

impl Settings {
    /// From the configuration; `demo` as `staffroom demo` starts it.
    pub fn from_config(config: &crate::config::Config, demo: bool) -> Settings {
        Settings {
            login: LoginPolicy {
                max_failures: config.security.lockout_failures,
                window: chrono::Duration::minutes(config.security.lockout_window_minutes),
            },
            attendance_threshold_percent: config.rules.attendance_threshold_percent,
            featured_limit: config.rules.featured_testimonials_limit,
            featured_case_studies_limit: config.rules.featured_case_studies_limit,
            audit_viewers_read: config.audit.viewers_read,
            demo,
            tz: config.display.time_zone,
        }
    }
}
