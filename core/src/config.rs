//! Configuration: the embedded default (config/default.toml) patched by the user's
//! file (only the keys it names), then by the environment and flags.

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The documented defaults, compiled in.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

/// The themes of `assets/themes/`, compiled in: `display.theme` names one (the UI
/// turns its TOML into styles, see `ui::theme`).
pub const THEMES: &[(&str, &str)] = &[
    ("dark", include_str!("../../assets/themes/dark.toml")),
    ("light", include_str!("../../assets/themes/light.toml")),
];

/// The TOML of the theme called `name`.
pub fn theme_source(name: &str) -> Option<&'static str> {
    THEMES.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// The known theme names, for messages: "dark, light".
pub fn theme_names() -> String {
    THEMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub database: DatabaseConfig,
    pub security: SecurityConfig,
    pub rules: RulesConfig,
    pub display: DisplayConfig,
    pub pipeline: PipelineConfig,
    pub moderation: ModerationConfig,
    pub audit: AuditConfig,
    /// `[keys.<context>] <action> = ["key", …]`: replaces those actions' keys.
    #[serde(default)]
    pub keys: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// `[theme] <colour name> = "cyan" | "#rrggbb" | "245"`.
    #[serde(default)]
    pub theme: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    pub url: String,
    /// Statements slower than this are logged as warnings with their time.
    pub slow_query_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityConfig {
    pub lockout_failures: i64,
    pub lockout_window_minutes: i64,
    pub idle_lock_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    pub featured_testimonials_limit: i64,
    pub featured_case_studies_limit: i64,
    pub attendance_threshold_percent: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// Viewers read the whole audit trail (an auditor's account); otherwise none of it.
    pub viewers_read: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModerationConfig {
    /// Presets offered when rejecting an item (a typed reason always works).
    pub reject_reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// Presets offered when a lead is closed as lost (free text is always possible).
    pub lost_reasons: Vec<String>,
    /// Days a lead may sit in a stage before its card is marked as rotting.
    pub rot_days: BTreeMap<String, i64>,
    /// Where `E` on the board writes its CSV ("" = the directory staffroom runs in).
    pub export_dir: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisplayConfig {
    /// The office's zone, parsed once when the configuration loads: an unknown
    /// name is a configuration error naming this key.
    #[serde(with = "zone_name")]
    pub time_zone: chrono_tz::Tz,
    pub mouse: bool,
    /// A theme of `THEMES` (`assets/themes/<name>.toml`); `[theme]` patches it.
    pub theme: String,
    /// The region phone numbers without a country code are read in (`EG`, `US`;
    /// empty: none), checked when the configuration loads.
    pub phone_region: String,
}

/// `display.time_zone` as its IANA name in the file, a `Tz` in the program.
mod zone_name {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(tz: &chrono_tz::Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<chrono_tz::Tz, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map_err(|_| {
            serde::de::Error::custom(format!("display.time_zone: '{name}' is not a time zone (e.g. Africa/Cairo, UTC)"))
        })
    }
}

/// Where staffroom keeps its files.
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "staffroom")
}

/// The user's config file: `--config` if given, else `config.toml` in the config dir.
pub fn user_config_path(explicit: Option<&Path>) -> Option<PathBuf> {
    explicit.map(Path::to_path_buf).or_else(|| project_dirs().map(|d| d.config_dir().join("config.toml")))
}

/// The data directory (demo database, default database, autosaves), created on
/// demand and private (`files`).
pub fn data_dir() -> Result<PathBuf> {
    let dir = project_dirs()
        .map(|d| d.data_dir().to_path_buf())
        .context("cannot find a home directory for staffroom's data")?;
    crate::files::private_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// Where the logs go: the XDG state directory (`~/.local/state/staffroom`), or the
/// data directory where a system has none; created private (`files`).
pub fn log_dir() -> Result<PathBuf> {
    let Some(dir) = project_dirs().and_then(|d| d.state_dir().map(Path::to_path_buf)) else {
        return data_dir();
    };
    crate::files::private_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

impl Config {
    /// Defaults, patched by the user's file. An explicit `--config` that does not
    /// exist is an error; a missing default file is not.
    pub fn load(explicit: Option<&Path>) -> Result<Config> {
        let mut merged: toml::Table = DEFAULT_TOML.parse().context("the embedded default config is invalid")?;
        if let Some(path) = user_config_path(explicit) {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    let user: toml::Table =
                        text.parse().with_context(|| format!("{} is not valid TOML", path.display()))?;
                    patch(&mut merged, user);
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {}
                Err(e) => bail!("cannot read {}: {e}", path.display()),
            }
        }
        let config: Config = toml::Value::Table(merged)
            .try_into()
            .map_err(|e: toml::de::Error| anyhow::anyhow!("invalid configuration: {}", e.message()))?;
        config.validate()?;
        Ok(config)
    }

    /// The embedded defaults alone, without any user file (the demo data is shaped
    /// for them, e.g. which cards rot).
    pub fn defaults() -> Result<Config> {
        let config: Config = toml::from_str(DEFAULT_TOML).context("the embedded default config is invalid")?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<()> {
        if let Err(why) = crate::domain::contact::phone_region(&self.display.phone_region) {
            bail!("invalid configuration: display.phone_region: {why}");
        }
        if self.security.lockout_failures < 1 {
            bail!("invalid configuration: security.lockout_failures must be at least 1");
        }
        if self.security.lockout_window_minutes < 1 {
            bail!("invalid configuration: security.lockout_window_minutes must be at least 1");
        }
        for stage in self.pipeline.rot_days.keys() {
            if crate::domain::lead::LeadStatus::parse(stage).is_none() {
                bail!("invalid configuration: pipeline.rot_days.{stage}: no such stage");
            }
        }
        if self.rules.featured_testimonials_limit < 0 || self.rules.featured_case_studies_limit < 0 {
            bail!("invalid configuration: rules.featured_*_limit cannot be negative");
        }
        if self.rules.attendance_threshold_percent > 100 {
            bail!("invalid configuration: rules.attendance_threshold_percent is a percentage (0-100)");
        }
        // The `[keys]` tables are checked where keys mean something: the terminal
        // package checks them right after loading (`cli::commands::load_config`).
        if theme_source(&self.display.theme).is_none() {
            bail!("invalid configuration: display.theme: no theme '{}' (known: {})", self.display.theme, theme_names());
        }
        Ok(())
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

/// Lays `user` over `base`: tables merge key by key, any other value replaces.
pub fn patch(base: &mut toml::Table, user: toml::Table) {
    for (key, value) in user {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(u)) => patch(b, u),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let c = Config::load(Some(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../config/default.toml")))).unwrap();
        assert_eq!(c.security.lockout_failures, 5);
        assert_eq!(c.rules.featured_testimonials_limit, 6);
        assert_eq!(Config::defaults().unwrap(), c);
    }

    #[test]
    fn user_file_patches_only_what_it_names() {
        let dir = std::env::temp_dir().join(format!("staffroom-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        std::fs::write(&file, "[security]\nlockout_failures = 3\n").unwrap();
        let c = Config::load(Some(&file)).unwrap();
        assert_eq!(c.security.lockout_failures, 3);
        assert_eq!(c.security.lockout_window_minutes, 15, "untouched keys keep defaults");
        std::fs::write(&file, "[security]\nlockout_failure = 3\n").unwrap();
        let err = Config::load(Some(&file)).unwrap_err().to_string();
        assert!(err.contains("lockout_failure"), "a typo is named: {err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn display_theme_names_a_known_theme() {
        let dir = std::env::temp_dir().join(format!("staffroom-cfg-theme-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        assert_eq!(Config::defaults().unwrap().display.theme, "dark");
        std::fs::write(&file, "[display]\ntheme = \"light\"\n").unwrap();
        assert_eq!(Config::load(Some(&file)).unwrap().display.theme, "light");
        std::fs::write(&file, "[display]\ntheme = \"solarized\"\n").unwrap();
        let err = Config::load(Some(&file)).unwrap_err().to_string();
        assert!(err.contains("display.theme") && err.contains("solarized") && err.contains("dark, light"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
